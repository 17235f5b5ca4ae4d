#include "service/training_jobs.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "common/clock.h"

namespace shopdesk::service {

TrainingJobs::TrainingJobs(store::Store& store, ModelRegistry& registry, std::vector<std::string> outOfScope,
                           std::function<void(const std::string&)> activate)
    : store_(store), registry_(registry), outOfScope_(std::move(outOfScope)), activate_(std::move(activate)) {
  // A job left "running" by a process that stopped will never finish.
  if (const auto failed = store_.failInterruptedTrainingJobs())
    spdlog::warn("{} training job(s) were interrupted by a previous stop", failed);
}

TrainingJobs::~TrainingJobs() {
  cancel_ = true;
  wait();
}

void TrainingJobs::wait() {
  std::thread finished;
  {
    std::lock_guard lock(mutex_);
    finished = std::move(thread_);
  }
  if (finished.joinable()) finished.join();
}

store::TrainingJob TrainingJobs::start(const model::TrainingOptions& options, bool activate) {
  std::lock_guard lock(mutex_);
  if (runningId_ != 0)
    throw store::ConflictError("a training job is already running: wait for it or cancel it");
  if (thread_.joinable()) thread_.join();  // the previous job has finished
  auto params = options.toJson();
  params["activate"] = activate;
  auto job = store_.startTrainingJob(options.kind, params.dump());
  runningId_ = job.id;
  cancel_ = false;
  thread_ = std::thread([this, job, options, activate] { run(job, options, activate); });
  return job;
}

store::TrainingJob TrainingJobs::cancel(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto job = find(id);
  if (runningId_ != id)
    throw store::ConflictError("training job " + std::to_string(id) + " is not running here");
  cancel_ = true;
  return job;
}

std::vector<store::TrainingJob> TrainingJobs::recent(int limit) { return store_.trainingJobs(limit); }

store::TrainingJob TrainingJobs::find(std::int64_t id) {
  auto job = store_.trainingJob(id);
  if (!job) throw store::NotFoundError("no training job " + std::to_string(id));
  return std::move(*job);
}

void TrainingJobs::run(store::TrainingJob job, model::TrainingOptions options, bool activate) {
  options.cancel = &cancel_;
  const int epochs = options.epochs();
  nlohmann::json progress = {{"epoch", 0}, {"epochs", epochs}, {"percent", 0}};
  try {
    const auto trained = registry_.train(options, outOfScope_, false, [&](const model::TrainingProgress& p) {
      progress = {{"epoch", p.epoch},     {"epochs", p.epochs},
                  {"loss", p.loss},       {"validation_macro_f1", p.validationMacroF1},
                  {"seconds", p.seconds}, {"percent", p.epochs ? 100 * p.epoch / p.epochs : 0}};
      if (p.tokensPerSecond > 0) progress["tokens_per_second"] = p.tokensPerSecond;
      job.progress = progress.dump();
      store_.updateTrainingJob(job);
    });
    if (activate && activate_) {
      activate_(trained.version.version);
    } else if (activate) {
      registry_.activate(trained.version.version);
    }
    progress["percent"] = 100;  // early stopping may end before the last epoch
    job.status = "succeeded";
    job.modelVersion = trained.version.version;
    spdlog::info("training job {} trained {}", job.id, trained.version.version);
  } catch (const model::TrainingCancelled&) {
    job.status = "cancelled";
  } catch (const std::exception& e) {
    job.status = "failed";
    job.error = e.what();
    spdlog::error("training job {} failed: {}", job.id, e.what());
  }
  job.progress = progress.dump();
  job.finishedAt = common::nowMillis();
  try {
    store_.updateTrainingJob(job);
  } catch (const std::exception& e) {
    spdlog::error("cannot record the end of training job {}: {}", job.id, e.what());
  }
  std::lock_guard lock(mutex_);
  runningId_ = 0;
}

}  // namespace shopdesk::service
