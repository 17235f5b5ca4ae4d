// The inference batcher from many threads at once: every caller gets the answers to its own texts, however
// the texts were grouped, and a lone text to an idle model is not held back. Also run under ThreadSanitizer
// (scripts/test).
#include "service/inference_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

using namespace shopdesk;

namespace {

// Labels a text by its length, so a caller can tell its own answers from another caller's.
class LengthClassifier final : public model::Classifier {
 public:
  explicit LengthClassifier(std::chrono::milliseconds delay = {}, bool fail = false)
      : delay_(delay), fail_(fail) {}
  std::string kind() const override { return "length"; }
  const std::vector<std::string>& labels() const override { return labels_; }
  std::vector<std::vector<model::Ranked>> predict(const std::vector<std::string>& texts) const override {
    std::this_thread::sleep_for(delay_);
    if (fail_) throw std::runtime_error("the model failed");
    calls_.fetch_add(1);
    std::vector<std::vector<model::Ranked>> out;
    for (const auto& text : texts) out.push_back({{static_cast<int>(text.size() % 7), 1.0f}});
    return out;
  }
  nlohmann::json save(const std::filesystem::path&) const override { return nlohmann::json::object(); }
  int calls() const { return calls_.load(); }

 private:
  std::vector<std::string> labels_ = {"0", "1", "2", "3", "4", "5", "6"};
  std::chrono::milliseconds delay_;
  bool fail_;
  mutable std::atomic<int> calls_{0};
};

}  // namespace

TEST(BatchingClassifier, EveryCallerGetsTheAnswersToItsOwnTexts) {
  auto inner = std::make_shared<LengthClassifier>();
  service::BatchingClassifier batcher(inner, {});
  constexpr int kThreads = 8;
  constexpr int kCalls = 150;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        std::vector<std::string> texts;
        for (int k = 0; k <= (t + i) % 3; ++k)
          texts.push_back(std::string(static_cast<std::size_t>(t + i + k), 'x'));
        const auto answers = batcher.predict(texts);
        if (answers.size() != texts.size()) {
          ++wrong;
          continue;
        }
        for (std::size_t k = 0; k < texts.size(); ++k)
          if (answers[k].front().label != static_cast<int>(texts[k].size() % 7)) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  // Concurrent calls shared forward passes.
  EXPECT_LT(batcher.batches(), static_cast<std::size_t>(kThreads * kCalls));
  EXPECT_EQ(static_cast<std::size_t>(inner->calls()), batcher.batches());
}

TEST(BatchingClassifier, AFailedForwardPassFailsEveryCallerInIt) {
  service::BatchingClassifier batcher(std::make_shared<LengthClassifier>(std::chrono::milliseconds(0), true),
                                      {});
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      try {
        batcher.predict({"a", "bb"});
      } catch (const std::runtime_error&) {
        ++failed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 4);
}

TEST(BatchingClassifier, TooManyWaitingTextsAreRefusedNotQueued) {
  service::BatchingClassifier::Options options;
  options.maxQueued = 4;
  options.maxBatch = 2;
  service::BatchingClassifier batcher(std::make_shared<LengthClassifier>(std::chrono::milliseconds(200)),
                                      options);
  std::atomic<int> refused{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      try {
        batcher.predict({"a", "b"});
        ++answered;
      } catch (const service::OverloadedError&) {
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered.load() + refused.load(), 12);
  EXPECT_GT(refused.load(), 0);
  EXPECT_GT(answered.load(), 0);
}

TEST(BatchingClassifier, ALoneTextToAnIdleModelGoesAtOnceAndOneRightAfterAPassWaitsForCompany) {
  using std::chrono::milliseconds;
  using Clock = std::chrono::steady_clock;
  service::BatchingClassifier::Options options;
  options.window =
      milliseconds(1000);  // long, so that waiting it or not cannot be mistaken on a busy machine
  service::BatchingClassifier batcher(std::make_shared<LengthClassifier>(), options);
  std::this_thread::sleep_for(options.window + milliseconds(100));
  auto start = Clock::now();
  EXPECT_EQ(batcher.predict({"abc"}).size(), 1u);
  EXPECT_LT(Clock::now() - start, options.window / 2);
  // The model has just finished a pass: others may be on their way, so this one waits for them.
  start = Clock::now();
  EXPECT_EQ(batcher.predict({"abc"}).size(), 1u);
  EXPECT_GE(Clock::now() - start, options.window);
  EXPECT_EQ(batcher.batches(), 2u);
}
