#include "service/inference_batcher.h"

#include <nlohmann/json.hpp>

namespace shopdesk::service {

BatchingClassifier::BatchingClassifier(std::shared_ptr<const model::Classifier> inner, Options options)
    : inner_(std::move(inner)), options_(options), worker_([this] { run(); }) {}

BatchingClassifier::~BatchingClassifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

std::vector<std::vector<model::Ranked>> BatchingClassifier::predict(
    const std::vector<std::string>& texts) const {
  if (texts.empty()) return {};
  Request request{&texts, {}};
  auto future = request.result.get_future();
  {
    std::lock_guard lock(mutex_);
    if (queuedTexts_ + texts.size() > options_.maxQueued && queuedTexts_ > 0) throw OverloadedError();
    queue_.push_back(&request);
    queuedTexts_ += texts.size();
  }
  wake_.notify_all();
  return future.get();  // the worker always fulfils the promise before `request` goes out of scope
}

nlohmann::json BatchingClassifier::save(const std::filesystem::path& dir) const { return inner_->save(dir); }

std::size_t BatchingClassifier::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

void BatchingClassifier::run() {
  std::unique_lock lock(mutex_);
  auto idleSince = std::chrono::steady_clock::now();
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left to answer
    // Wait a moment for company, unless the batch is already full, or the model sat idle for longer than
    // that moment before this text came: on a quiet store, company is not coming, and a lone customer
    // would wait the whole window for nothing.
    const auto now = std::chrono::steady_clock::now();
    if (now - idleSince < options_.window)
      wake_.wait_until(lock, now + options_.window,
                       [this] { return stopping_ || queuedTexts_ >= options_.maxBatch; });
    std::vector<Request*> taken;
    std::size_t texts = 0;
    while (!queue_.empty() && (taken.empty() || texts + queue_.front()->texts->size() <= options_.maxBatch)) {
      taken.push_back(queue_.front());
      texts += queue_.front()->texts->size();
      queue_.pop_front();
    }
    queuedTexts_ -= texts;
    ++batches_;
    lock.unlock();
    std::vector<std::string> all;
    all.reserve(texts);
    for (auto* r : taken) all.insert(all.end(), r->texts->begin(), r->texts->end());
    try {
      auto rankings = inner_->predict(all);
      std::size_t next = 0;
      for (auto* r : taken) {
        const auto n = r->texts->size();
        r->result.set_value(
            {std::make_move_iterator(rankings.begin() + static_cast<std::ptrdiff_t>(next)),
             std::make_move_iterator(rankings.begin() + static_cast<std::ptrdiff_t>(next + n))});
        next += n;
      }
    } catch (...) {
      for (auto* r : taken) r->result.set_exception(std::current_exception());
    }
    idleSince = std::chrono::steady_clock::now();
    lock.lock();
  }
}

}  // namespace shopdesk::service
