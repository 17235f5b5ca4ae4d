#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "service/assistant.h"
#include "service/model_registry.h"

namespace shopdesk::service {

//! Keeps the Assistant serving the store's active model version and its current catalog: loads the model at
//! start, and whenever any server activates another version (PostgreSQL NOTIFY, or a half-second poll) loads
//! and swaps it in; likewise reloads the categories and answers when any server or the CLI edits them. A
//! version whose artifact fails to load is logged and skipped; the previous model keeps serving.
class ModelWatcher {
 public:
  ModelWatcher(store::Store& store, ModelRegistry& registry, Assistant& assistant,
               std::function<void(const std::string&)> onSwap = {});
  ~ModelWatcher();
  ModelWatcher(const ModelWatcher&) = delete;
  ModelWatcher& operator=(const ModelWatcher&) = delete;

  //! Serves the active version if it is not served yet; returns false when it could not (none, or a load
  //! error).
  bool refresh();
  //! Loads `version` (which checks its artifact), makes it the active one in the store and serves it, with a
  //! single load; throws like ModelRegistry::load, and then nothing changes.
  void activate(const std::string& version);
  //! Starts watching in the background.
  void start();

 private:
  // Reloads the Assistant's catalog when the store's revision is not the one last loaded (watcher thread
  // only).
  void refreshCatalog();

  store::Store& store_;
  ModelRegistry& registry_;
  Assistant& assistant_;
  std::function<void(const std::string&)> onSwap_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
  std::mutex refreshMutex_;
  std::string failedVersion_;          // not retried until another version is activated
  std::int64_t catalogRevision_ = -1;  // the Assistant loaded its catalog before the watcher existed
};

}  // namespace shopdesk::service
