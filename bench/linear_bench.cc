// In-process speed of the linear model and of the default kind's ensemble (linear + n-gram): one query, and
// the whole training file trained once per iteration, on the demo data or on the `text,label` CSV files named
// by SHOPDESK_BENCH_TRAIN, SHOPDESK_BENCH_VALIDATION (optional: C, temperature and ensemble weights are
// fitted on it) and SHOPDESK_BENCH_TEST (e.g. CLINC150). bench/run runs it; see docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "model/ensemble_classifier.h"
#include "model/linear_classifier.h"
#include "model/ngram_classifier.h"
#include "service/example_file.h"

using namespace shopdesk;

namespace {

struct Data {
  std::vector<std::string> labels, trainTexts, validationTexts, testTexts;
  std::vector<int> trainTargets, validationTargets;
};

std::string fromEnv(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

const Data& data() {
  static const Data d = [] {
    Data d;
    std::map<std::string, int> index;
    const std::string demo = SHOPDESK_SOURCE_DIR "/data/";
    for (auto& row : service::readExampleFile(fromEnv("SHOPDESK_BENCH_TRAIN", demo + "train.csv"), {})) {
      auto [it, added] = index.emplace(row.label, static_cast<int>(d.labels.size()));
      if (added) d.labels.push_back(row.label);
      d.trainTexts.push_back(std::move(row.text));
      d.trainTargets.push_back(it->second);
    }
    if (const auto validation = fromEnv("SHOPDESK_BENCH_VALIDATION", ""); !validation.empty()) {
      for (auto& row : service::readExampleFile(validation, {})) {
        const auto it = index.find(row.label);
        if (it == index.end()) continue;
        d.validationTexts.push_back(std::move(row.text));
        d.validationTargets.push_back(it->second);
      }
    }
    for (auto& row : service::readExampleFile(fromEnv("SHOPDESK_BENCH_TEST", demo + "test.csv"), {}))
      d.testTexts.push_back(std::move(row.text));
    return d;
  }();
  return d;
}

model::LinearClassifier trainLinear() {
  const auto& d = data();
  return model::LinearClassifier::train(d.trainTexts, d.trainTargets, d.labels, {}, d.validationTexts,
                                        d.validationTargets);
}

const model::LinearClassifier& linear() {
  static const auto classifier = trainLinear();
  return classifier;
}

const model::EnsembleClassifier& ensemble() {
  static const auto classifier = [] {
    const auto& d = data();
    auto ngram = std::make_shared<model::NgramClassifier>(
        model::NgramClassifier::train(d.trainTexts, d.trainTargets, d.labels, {}));
    return model::EnsembleClassifier::combine({std::make_shared<model::LinearClassifier>(linear()), ngram},
                                              d.validationTexts, d.validationTargets);
  }();
  return classifier;
}

template <typename Classifier>
void predictOne(benchmark::State& state, const Classifier& classifier) {
  const auto& texts = data().testTexts;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(classifier.predict({texts[i++ % texts.size()]}));
  state.SetItemsProcessed(state.iterations());
}

void BM_LinearPredictOne(benchmark::State& state) { predictOne(state, linear()); }
BENCHMARK(BM_LinearPredictOne);

void BM_EnsemblePredictOne(benchmark::State& state) { predictOne(state, ensemble()); }
BENCHMARK(BM_EnsemblePredictOne);

// The whole training file: TF-IDF vocabulary, LIBLINEAR for each C, the temperature.
void BM_LinearTrain(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(trainLinear());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data().trainTexts.size()));
}
BENCHMARK(BM_LinearTrain)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
