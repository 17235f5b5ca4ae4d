// In-process speed of the n-gram classifier: one query, a batch of 64, and training, on the demo data or on
// the `text,label` CSV files named by SHOPDESK_BENCH_TRAIN and SHOPDESK_BENCH_TEST (e.g. CLINC150).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>

#include "model/ngram_classifier.h"
#include "service/example_file.h"

using namespace shopdesk;

namespace {

struct Data {
  std::vector<std::string> labels, trainTexts, testTexts;
  std::vector<int> trainTargets;
};

std::string pathFromEnv(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : std::string(SHOPDESK_SOURCE_DIR "/data/") + fallback;
}

const Data& data() {
  static const Data d = [] {
    Data d;
    std::map<std::string, int> index;
    for (auto& row : service::readExampleFile(pathFromEnv("SHOPDESK_BENCH_TRAIN", "train.csv"), {})) {
      auto [it, added] = index.emplace(row.label, static_cast<int>(d.labels.size()));
      if (added) d.labels.push_back(row.label);
      d.trainTexts.push_back(std::move(row.text));
      d.trainTargets.push_back(it->second);
    }
    for (auto& row : service::readExampleFile(pathFromEnv("SHOPDESK_BENCH_TEST", "test.csv"), {})) {
      d.testTexts.push_back(std::move(row.text));
    }
    return d;
  }();
  return d;
}

const model::NgramClassifier& trained() {
  static const auto classifier =
      model::NgramClassifier::train(data().trainTexts, data().trainTargets, data().labels, {});
  return classifier;
}

void BM_NgramPredictOne(benchmark::State& state) {
  const auto& classifier = trained();
  const auto& texts = data().testTexts;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(classifier.predictOne(texts[i++ % texts.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NgramPredictOne);

void BM_NgramPredictBatch64(benchmark::State& state) {
  const auto& classifier = trained();
  const auto& texts = data().testTexts;
  std::vector<std::string> batch(texts.begin(), texts.begin() + std::min<std::size_t>(64, texts.size()));
  for (auto _ : state) benchmark::DoNotOptimize(classifier.predict(batch));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
}
BENCHMARK(BM_NgramPredictBatch64)->UseRealTime();

void BM_NgramTrain(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) {
    benchmark::DoNotOptimize(model::NgramClassifier::train(d.trainTexts, d.trainTargets, d.labels, {}));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.trainTexts.size()));
}
BENCHMARK(BM_NgramTrain)->Unit(benchmark::kSecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
