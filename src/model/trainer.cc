#include "model/trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "model/split.h"
#include "text/fingerprint.h"

namespace shopdesk::model {

namespace {

template <typename T>
std::vector<T> pick(const std::vector<T>& all, const std::vector<std::size_t>& indices) {
  std::vector<T> out;
  out.reserve(indices.size());
  for (auto i : indices) out.push_back(all[i]);
  return out;
}

Evaluation evaluateRankings(const std::vector<std::string>& labels,
                            const std::vector<std::vector<Ranked>>& rankings, const std::vector<int>& truth) {
  std::vector<int> predicted;
  std::vector<float> confidence;
  for (const auto& r : rankings) {
    predicted.push_back(r.front().label);
    confidence.push_back(r.front().probability);
  }
  return evaluate(labels, truth, predicted, confidence);
}

}  // namespace

std::string dataFingerprint(const std::vector<Example>& examples) {
  // Sum of per-example hashes: the same set in any order gives the same value.
  std::uint64_t sum = 0;
  for (const auto& e : examples) sum += text::fnv1a64(e.label, text::fnv1a64(e.text));
  return fmt::format("{:016x}-{}", sum, examples.size());
}

TrainingResult train(const std::vector<Example>& examples, const std::vector<std::string>& outOfScope,
                     const TrainingOptions& options,
                     const std::function<void(const TrainingProgress&)>& onProgress) {
  if (options.kind != "ngram" && options.kind != "transformer")
    throw std::invalid_argument(fmt::format("unknown model kind '{}'", options.kind));
  std::map<std::string, int> index;
  for (const auto& e : examples) index.emplace(e.label, 0);
  if (index.size() < 2) {
    throw std::invalid_argument(
        fmt::format("training needs at least two categories with examples, got {}", index.size()));
  }
  std::vector<std::string> labels;
  for (auto& [label, i] : index) {
    i = static_cast<int>(labels.size());
    labels.push_back(label);
  }
  std::vector<std::string> texts;
  std::vector<int> targets;
  for (const auto& e : examples) {
    texts.push_back(e.text);
    targets.push_back(index.at(e.label));
  }

  const auto split = stratifiedSplit(targets, options.validationFraction, options.testFraction, options.seed);
  const auto trainTexts = pick(texts, split.train);
  const auto trainTargets = pick(targets, split.train);
  const auto validationTexts = pick(texts, split.validation);
  const auto validationTargets = pick(targets, split.validation);
  const auto testTexts = pick(texts, split.test);
  const auto testTargets = pick(targets, split.test);
  const auto oosSplit = stratifiedSplit(std::vector<int>(outOfScope.size(), 0), 0.0, 0.5, options.seed);
  const auto oosValidation = pick(outOfScope, oosSplit.train);
  const auto oosTest = pick(outOfScope, oosSplit.test);

  const auto started = std::chrono::steady_clock::now();
  double bestF1 = -1;
  int bestEpoch = 0;
  int sinceBest = 0;
  const auto hook = [&](const EpochProgress& p, const Classifier& current) {
    if (options.cancel && options.cancel->load()) throw TrainingCancelled();
    // Without a validation split (tiny data sets) the last epoch is the model.
    const double f1 =
        validationTexts.empty()
            ? 0.0
            : evaluateRankings(labels, current.predict(validationTexts), validationTargets).macroF1;
    EpochVerdict verdict;
    verdict.best = f1 > bestF1 || validationTexts.empty();
    if (verdict.best) {
      bestF1 = f1;
      bestEpoch = p.epoch;
      sinceBest = 0;
    } else {
      ++sinceBest;
    }
    verdict.more = sinceBest < options.patience;
    if (onProgress) {
      onProgress({p.epoch, p.epochs, p.loss, f1,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                  p.tokensPerSecond});
    }
    return verdict;
  };
  std::shared_ptr<const Classifier> classifier;
  if (options.kind == "ngram") {
    auto ngram = options.ngram;
    ngram.seed = options.seed;
    classifier = std::make_shared<NgramClassifier>(
        NgramClassifier::train(trainTexts, trainTargets, labels, ngram, hook));
  } else {
    auto transformer = options.transformer;
    transformer.seed = options.seed;
    transformer.cancel = options.cancel;
    classifier = std::make_shared<TransformerClassifier>(
        TransformerClassifier::train(trainTexts, trainTargets, labels, transformer, hook));
  }

  TrainingResult result;
  result.bestEpoch = bestEpoch;
  result.examples = static_cast<int>(examples.size());

  const auto validationPolicy =
      tunePolicy(classifier->predict(validationTexts), validationTargets, classifier->predict(oosValidation));
  const auto testRankings = classifier->predict(testTexts);
  result.test = evaluateRankings(labels, testRankings, testTargets);
  result.policy =
      scorePolicy(validationPolicy.policy, testRankings, testTargets, classifier->predict(oosTest));

  result.card.kind = classifier->kind();
  result.card.labels = labels;
  result.card.dataFingerprint = dataFingerprint(examples);
  result.card.policy = validationPolicy.policy;
  result.card.metrics = result.test.toJson();
  result.card.metrics["policy"] = result.policy.toJson();
  result.card.metrics["best_epoch"] = bestEpoch;
  result.card.metrics["validation_macro_f1"] = bestF1;
  result.card.metrics["split"] = {{"train", split.train.size()},
                                  {"validation", split.validation.size()},
                                  {"test", split.test.size()},
                                  {"out_of_scope_validation", oosValidation.size()},
                                  {"out_of_scope_test", oosTest.size()}};
  result.card.metrics["training_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.card.createdAt = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  result.classifier = std::move(classifier);
  return result;
}

}  // namespace shopdesk::model
