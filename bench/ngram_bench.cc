// In-process speed of the n-gram classifier: one query, a batch of 64, and training at 1k to 50k examples, on
// the demo data or on the `text,label` CSV files named by SHOPDESK_BENCH_TRAIN and SHOPDESK_BENCH_TEST (e.g.
// CLINC150). bench/run runs it; see docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>
#include <random>

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

// Training time as the data grows: `state.range(0)` examples resampled from the training file (a random
// subset when the file has more, all of it plus random repeats when it has fewer), the default 20 epochs, one
// training per iteration (run with --benchmark_repetitions for a median).
void BM_NgramTrain(benchmark::State& state) {
  const auto& d = data();
  const auto size = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(7);
  std::vector<std::size_t> rows(d.trainTexts.size());
  std::iota(rows.begin(), rows.end(), 0);
  std::shuffle(rows.begin(), rows.end(), rng);
  std::uniform_int_distribution<std::size_t> any(0, d.trainTexts.size() - 1);
  while (rows.size() < size) rows.push_back(any(rng));
  rows.resize(size);
  std::vector<std::string> texts;
  std::vector<int> targets;
  for (auto r : rows) texts.push_back(d.trainTexts[r]), targets.push_back(d.trainTargets[r]);
  for (auto _ : state) {
    benchmark::DoNotOptimize(model::NgramClassifier::train(texts, targets, d.labels, {}));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.counters["epochs"] = model::NgramClassifier::Options{}.epochs;
}
BENCHMARK(BM_NgramTrain)
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(15000)
    ->Arg(50000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
