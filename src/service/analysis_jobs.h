#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "store/store.h"

namespace shopdesk::service {

//! Where a running analysis has got to; the work calls it as it goes.
using AnalysisProgress = std::function<void(int percent, const std::string& stage)>;

//! Topic reports and model comparisons in the background: an admin's request starts one (or joins the same
//! one already running here) and waits a moment for it; a longer one is left running and reported, with its
//! progress and then its result, through the store, so that any server can answer the admin polling for it.
//! Answering never waits for one: each runs on a thread of its own, and the heavy parts at low priority.
class AnalysisJobs {
 public:
  using Work = std::function<nlohmann::json(const AnalysisProgress&)>;

  //! Marks the jobs a stopped process left running as failed and deletes those that ended a day ago. While
  //! `busy` says answers are being worked on, a job runs kShareWhileBusy of the time (common::Pacer).
  explicit AnalysisJobs(store::Store& store, std::function<bool()> busy = {});
  ~AnalysisJobs();  //!< stops the running jobs (each fails, "the server stopped") and waits for them

  //! Starts `work` as a job of `kind` with `params`, or joins the one of the same kind and params running
  //! here, and waits up to `wait` for it to end. Throws store::ConflictError when kMaxRunning others run.
  store::AnalysisJob run(const std::string& kind, const nlohmann::json& params, Work work,
                         std::chrono::milliseconds wait);
  //! One job, with its progress and (once ended) its result or error; throws store::NotFoundError.
  store::AnalysisJob find(std::int64_t id);

  static constexpr std::size_t kMaxRunning = 2;
  static constexpr double kShareWhileBusy = 0.1;

 private:
  void execute(store::AnalysisJob job, const std::string& key, const Work& work);

  store::Store& store_;
  std::function<bool()> busy_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable ended_;
  std::map<std::string, std::int64_t> running_;  //!< kind and params → job id, of the jobs running here
  std::map<std::int64_t, std::thread> threads_;  //!< ended ones are joined by the next run() or on exit
};

}  // namespace shopdesk::service
