#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/model_registry.h"
#include "store/store.h"

namespace shopdesk::service {

//! Training in the background, one job at a time, with progress in the store (so any server can report it)
//! and cancellation. Serving is unaffected: training reads a snapshot of the examples and the new version
//! only serves once activated.
class TrainingJobs {
 public:
  //! Marks the jobs a stopped process left running as failed. `outOfScope` tunes the hand-off policy of every
  //! job; `activate` activates a job's new version when asked to (default: ModelRegistry::activate; a server
  //! passes ModelWatcher::activate to serve it at once).
  TrainingJobs(store::Store& store, ModelRegistry& registry, std::vector<std::string> outOfScope,
               std::function<void(const std::string&)> activate = {});
  ~TrainingJobs();  //!< cancels a running job and waits for it

  //! Starts a job; throws store::ConflictError while one runs.
  store::TrainingJob start(const model::TrainingOptions& options, bool activate);
  //! Asks the running job `id` to stop and returns its record; throws store::NotFoundError, or ConflictError
  //! when it is not running here.
  store::TrainingJob cancel(std::int64_t id);
  //! The newest `limit` jobs of every server, newest first.
  std::vector<store::TrainingJob> recent(int limit);
  //! One job, with its progress; throws store::NotFoundError.
  store::TrainingJob find(std::int64_t id);
  //! Waits for the job thread to finish (tests, shutdown).
  void wait();

 private:
  void run(store::TrainingJob job, model::TrainingOptions options, bool activate);

  store::Store& store_;
  ModelRegistry& registry_;
  std::vector<std::string> outOfScope_;
  std::function<void(const std::string&)> activate_;
  std::mutex mutex_;
  std::thread thread_;
  std::int64_t runningId_ = 0;
  std::atomic<bool> cancel_ = false;
};

}  // namespace shopdesk::service
