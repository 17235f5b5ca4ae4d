#include "service/analysis_jobs.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"
#include "common/pacer.h"

namespace shopdesk::service {

namespace {

constexpr std::int64_t kKeepMillis = 24 * 3600 * 1000;

}  // namespace

AnalysisJobs::AnalysisJobs(store::Store& store, std::function<bool()> busy)
    : store_(store), busy_(std::move(busy)) {
  if (const auto failed = store_.failInterruptedAnalysisJobs())
    spdlog::warn("{} analysis job(s) were interrupted by a previous stop", failed);
  store_.deleteAnalysisJobsBefore(common::nowMillis() - kKeepMillis);
}

AnalysisJobs::~AnalysisJobs() {
  stopping_ = true;  // a job under load could otherwise hold up the stop for as long as it takes
  std::map<std::int64_t, std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (auto& [id, thread] : threads) thread.join();
}

store::AnalysisJob AnalysisJobs::run(const std::string& kind, const nlohmann::json& params, Work work,
                                     std::chrono::milliseconds wait) {
  const auto key = kind + " " + params.dump();
  std::unique_lock lock(mutex_);
  for (auto it = threads_.begin(); it != threads_.end();) {
    const bool ended = std::none_of(running_.begin(), running_.end(),
                                    [&](const auto& entry) { return entry.second == it->first; });
    if (ended) {
      it->second.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
  std::int64_t id = 0;
  if (const auto it = running_.find(key); it != running_.end()) {
    id = it->second;  // the same question asked again (an admin reloading): one answer for both
  } else {
    if (running_.size() >= kMaxRunning) {
      throw store::ConflictError(fmt::format(
          "{} analyses are running on this server already: try again when one has ended", running_.size()));
    }
    if (running_.empty()) store_.deleteAnalysisJobsBefore(common::nowMillis() - kKeepMillis);
    auto job = store_.startAnalysisJob(kind, params.dump());
    id = job.id;
    running_[key] = id;
    threads_[id] =
        std::thread([this, job = std::move(job), key, work = std::move(work)] { execute(job, key, work); });
  }
  ended_.wait_for(lock, wait, [&] {
    const auto it = running_.find(key);
    return it == running_.end() || it->second != id;
  });
  lock.unlock();
  return find(id);
}

store::AnalysisJob AnalysisJobs::find(std::int64_t id) {
  auto job = store_.analysisJob(id);
  if (!job) throw store::NotFoundError(fmt::format("no analysis job {}", id));
  return std::move(*job);
}

void AnalysisJobs::execute(store::AnalysisJob job, const std::string& key, const Work& work) {
  int reported = -1;
  std::string reportedStage;
  const AnalysisProgress progress = [&](int percent, const std::string& stage) {
    if (percent == reported && stage == reportedStage) return;
    reported = percent;
    reportedStage = stage;
    job.progress = nlohmann::json{{"percent", percent}, {"stage", stage}}.dump();
    try {
      store_.updateAnalysisJob(job);
    } catch (const std::exception& e) {  // progress is a courtesy: the result is what must be recorded
      spdlog::warn("cannot record the progress of analysis job {}: {}", job.id, e.what());
    }
  };
  common::Pacer pacer(busy_, kShareWhileBusy, common::Pacer::kSlice, &stopping_);
  const common::ScopedPacer paced(&pacer);
  try {
    job.result = work(progress).dump();
    job.status = "succeeded";
    job.progress = nlohmann::json{{"percent", 100}, {"stage", "done"}}.dump();
  } catch (const std::exception& e) {
    job.status = "failed";
    job.error = e.what();
    spdlog::error("analysis job {} ({}) failed: {}", job.id, job.kind, e.what());
  }
  job.finishedAt = common::nowMillis();
  try {
    store_.updateAnalysisJob(job);
  } catch (const std::exception& e) {
    spdlog::error("cannot record the end of analysis job {}: {}", job.id, e.what());
  }
  std::lock_guard lock(mutex_);
  running_.erase(key);
  ended_.notify_all();
}

}  // namespace shopdesk::service
