// The JSON body of one answer, as POST /api/v1/answers sends it: http::toJson and dump, for an answer shaped
// like the demo store's (three ranked categories, four recommendations, 1.5 KB). Not run by bench/run: the
// HTTP figures there include it; this is for working on it.
#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "http/codecs.h"
#include "service/assistant.h"

using namespace shopdesk;

namespace {

service::Answer demoAnswer() {
  service::Answer a;
  a.interactionId = 14134178;
  a.category = "order_status";
  a.confidence = 0.978;
  a.ranking = {{"order_status", 0.978}, {"promotions_loyalty", 0.0135}, {"newsletter_subscription", 0.0016}};
  a.response =
      "You can follow your order at any time under My Account > Orders on our website or in the app, where "
      "you'll see its live status and the courier's tracking link once it ships.";
  for (int i = 0; i < 4; ++i) {
    const bool withAction = i % 2 == 1;
    a.recommendations.push_back(
        {"article", "order_status", "Track your order, part " + std::to_string(i),
         "Open your orders to see the current status and the courier's tracking link.",
         withAction ? std::optional<std::string>("Track order") : std::nullopt,
         withAction ? std::optional<std::string>("/account/orders") : std::nullopt});
  }
  a.entities = {{"order_number", "SD-618830", "SD-618830"}};
  a.modelVersion = "linear-20261207-050618";
  a.feedbackToken = "91c671de9159804fe246c2ab06f9e6c6";
  return a;
}

void BM_AnswerJson(benchmark::State& state) {
  const auto answer = demoAnswer();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto body = http::toJson(answer).dump();
    bytes += body.size();
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_AnswerJson);

}  // namespace

BENCHMARK_MAIN();
