#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "model/classifier.h"

namespace shopdesk::service {

//! Too many texts are already waiting for the model; the request should be retried shortly.
class OverloadedError : public std::runtime_error {
 public:
  OverloadedError() : std::runtime_error("the model is busy; try again shortly") {}
};

//! Groups concurrent predict() calls into one forward pass. A transformer costs nearly as much for one short
//! text as for thirty, so requests that arrive within `window` of the first waiting one share a batch (at
//! most `maxBatch` texts); a request that finds the model idle for longer than `window` goes at once. One
//! worker thread runs the model, so concurrent requests never fight over the cores.
class BatchingClassifier final : public model::Classifier {
 public:
  struct Options {
    std::chrono::microseconds window{2000};
    std::size_t maxBatch = 32;
    std::size_t maxQueued = 1024;  //!< texts waiting; beyond it predict() throws OverloadedError
  };

  BatchingClassifier(std::shared_ptr<const model::Classifier> inner, Options options);
  ~BatchingClassifier() override;

  std::string kind() const override { return inner_->kind(); }
  const std::vector<std::string>& labels() const override { return inner_->labels(); }
  std::vector<std::vector<model::Ranked>> predict(const std::vector<std::string>& texts) const override;
  nlohmann::json save(const std::filesystem::path& dir) const override;

  //! Forward passes run so far (for tests and metrics: fewer than requests means batching happened).
  std::size_t batches() const;

 private:
  struct Request {
    const std::vector<std::string>* texts;
    std::promise<std::vector<std::vector<model::Ranked>>> result;
  };

  void run();

  std::shared_ptr<const model::Classifier> inner_;
  Options options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  mutable std::deque<Request*> queue_;
  mutable std::size_t queuedTexts_ = 0;
  std::size_t batches_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace shopdesk::service
