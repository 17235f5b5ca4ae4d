#include "service/model_watcher.h"

#include <spdlog/spdlog.h>

namespace shopdesk::service {

ModelWatcher::ModelWatcher(store::Store& store, ModelRegistry& registry, Assistant& assistant,
                           std::function<void(const std::string&)> onSwap)
    : store_(store), registry_(registry), assistant_(assistant), onSwap_(std::move(onSwap)) {}

ModelWatcher::~ModelWatcher() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

bool ModelWatcher::refresh() {
  std::lock_guard lock(refreshMutex_);
  const auto active = store_.activeModelVersion();
  if (!active) return false;
  const auto current = assistant_.model();
  if (current && current->version == active->version) return true;
  if (active->version == failedVersion_) return false;
  try {
    auto served =
        std::make_shared<ServedModel>(ServedModel{active->version, registry_.load(active->version)});
    assistant_.swapModel(std::move(served));
    spdlog::info("serving model {}", active->version);
    if (onSwap_) onSwap_(active->version);
    return true;
  } catch (const std::exception& e) {
    failedVersion_ = active->version;
    spdlog::error("cannot load model {}: {}; {} keeps serving", active->version, e.what(),
                  current ? current->version : std::string("nothing"));
    return false;
  }
}

void ModelWatcher::activate(const std::string& version) {
  std::lock_guard lock(refreshMutex_);
  auto served = std::make_shared<ServedModel>(ServedModel{version, registry_.load(version)});
  store_.activateModelVersion(version);
  assistant_.swapModel(std::move(served));
  failedVersion_.clear();
  spdlog::info("serving model {}", version);
  if (onSwap_) onSwap_(version);
}

void ModelWatcher::refreshCatalog() {
  // Read before reloading: an edit committed in between shows as a newer revision at the next wake.
  const auto revision = store_.catalogRevision();
  if (revision == catalogRevision_) return;
  assistant_.reloadCatalog();
  if (catalogRevision_ >= 0) spdlog::info("catalog changed (revision {}): reloaded", revision);
  catalogRevision_ = revision;
}

void ModelWatcher::start() {
  thread_ = std::thread([this] {
    while (!stopping_) {
      try {
        // On PostgreSQL this returns as soon as any server activates a version or edits the catalog; the
        // timeout keeps a poll as a fallback (and is the only signal on SQLite, where servers share one
        // file).
        store_.waitForChange(std::chrono::milliseconds(stopping_ ? 0 : 500));
        if (stopping_) break;
        refresh();
        refreshCatalog();
      } catch (const std::exception& e) {
        spdlog::warn("model watcher: {}", e.what());
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    }
  });
}

}  // namespace shopdesk::service
