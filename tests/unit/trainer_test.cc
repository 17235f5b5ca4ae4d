// The shared Trainer on the demo data: accuracy floors on its held-out split, reproducibility, the policy,
// and the training sets it refuses.
#include "model/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "model/policy.h"
#include "model/split.h"
#include "service/example_file.h"
#include "service/model_registry.h"

using namespace shopdesk;

namespace {

const std::filesystem::path kData = SHOPDESK_SOURCE_DIR "/data";

std::vector<common::Example> demoExamples() {
  std::vector<common::Example> examples;
  for (auto& row : service::readExampleFile(kData / "train.csv", {}))
    examples.push_back({row.text, row.label});
  return examples;
}

// The same ranking, label by label, to the last bit of each probability.
void expectSamePredictions(const model::Classifier& a, const model::Classifier& b,
                           const std::vector<std::string>& probes) {
  const auto pa = a.predict(probes);
  const auto pb = b.predict(probes);
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < probes.size(); ++i) {
    ASSERT_EQ(pa[i].size(), pb[i].size());
    for (std::size_t k = 0; k < pa[i].size(); ++k) {
      EXPECT_EQ(pa[i][k].label, pb[i][k].label) << probes[i];
      EXPECT_EQ(pa[i][k].probability, pb[i][k].probability) << probes[i];
    }
  }
}

// The split model::train makes of `examples` (which must hold no out-of-scope examples nor texts under two
// labels): the trainer numbers labels in sorted order.
model::Split splitOf(const std::vector<common::Example>& examples, const model::TrainingOptions& options) {
  std::map<std::string, int> index;
  for (const auto& e : examples) index.emplace(e.label, 0);
  int next = 0;
  for (auto& [label, i] : index) i = next++;
  std::vector<int> targets;
  for (const auto& e : examples) targets.push_back(index.at(e.label));
  return model::stratifiedSplit(targets, options.validationFraction, options.testFraction, options.seed);
}

}  // namespace

TEST(Trainer, TrainsEvaluatesAndTunesThePolicyOnTheDemoData) {
  std::vector<model::TrainingProgress> progress;
  const auto result = model::train(demoExamples(), service::readOutOfScope(kData / "out_of_scope.csv"), {},
                                   [&](const model::TrainingProgress& p) { progress.push_back(p); });
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.front().epoch, 1);
  EXPECT_GE(result.bestEpoch, 1);
  EXPECT_LE(result.bestEpoch, progress.back().epoch);
  EXPECT_EQ(result.test.labels.size(), 19u);  // the 18 categories and out_of_scope
  EXPECT_EQ(result.test.examples, 639);       // 10% of every category's examples, rounded
  std::cout << result.test.summary();
  std::cout << result.policy.toJson().dump() << "\n";
  // Measured (seed 42): accuracy 93.3%, macro-F1 93.0% (93.4% and 93.4% before the shipped model learned the
  // validation questions too); the floors sit a little below.
  EXPECT_GE(result.test.accuracy, 0.92);
  EXPECT_GE(result.test.macroF1, 0.92);
  // The policy was tuned with out-of-scope data and is scored on queries it never saw.
  EXPECT_EQ(result.policy.outOfScope, 211);  // a quarter of them; the shipped model learned the rest
  EXPECT_EQ(result.card.metrics["split"]["out_of_scope_train"], 843 - 211);
  EXPECT_LT(result.policy.policy.outOfScopeCeiling, 1.0);  // the out-of-scope label's probability is read
  // The hand-off figures on the held-out split, a little under what was measured (answered and right 84.2%,
  // answers 95.9% precise, 89.1% of out-of-scope queries handed off; before the shipped model learned the
  // validation questions 84.8%, 95.3% and 88.2%; when it learned only half of the out-of-scope queries
  // 85.6%, 95.1% and 82.9%; before the out-of-scope ceiling 79.3%, 97.1% and 79.1%).
  EXPECT_GE(result.policy.inScopeAccuracy, 0.83);
  EXPECT_GE(result.policy.answerPrecision, 0.93);
  EXPECT_GE(result.policy.outOfScopeRecall, 0.85);
  EXPECT_EQ(result.card.metrics["policy"]["out_of_scope"], result.policy.outOfScope);
  EXPECT_EQ(result.card.dataFingerprint, model::dataFingerprint(demoExamples()));
}

TEST(Trainer, SameSeedSamePredictions) {
  model::TrainingOptions options;
  options.ngram.epochs = 3;
  const auto examples = demoExamples();
  const auto a = model::train(examples, {}, options);
  const auto b = model::train(examples, {}, options);
  const std::vector<std::string> probes = {"where is my parcel", "cancel it now", "do you sell gift cards",
                                           ""};
  expectSamePredictions(*a.classifier, *b.classifier, probes);
  EXPECT_EQ(a.test.accuracy, b.test.accuracy);
}

TEST(Trainer, RefusesOneCategoryAndHandlesTinyOnes) {
  EXPECT_THROW(model::train({{"a", "x"}, {"b", "x"}, {"c", "x"}}, {}, {}), std::invalid_argument);
  EXPECT_THROW(model::train({}, {}, {}), std::invalid_argument);
  model::TrainingOptions unknown;
  unknown.kind = "svm";
  EXPECT_THROW(model::train({{"a", "x"}, {"b", "y"}}, {}, unknown), std::invalid_argument);
  // A category with one example is trained on (never held out) and still predicted.
  auto examples = demoExamples();
  examples.push_back({"i would like to book a table for two", "restaurant_booking"});
  model::TrainingOptions options;
  options.ngram.epochs = 5;
  const auto result = model::train(examples, {}, options);
  const auto& labels = result.classifier->labels();
  EXPECT_NE(std::find(labels.begin(), labels.end(), "restaurant_booking"), labels.end());
  EXPECT_EQ(result.test.categories.size(), 19u);
}

TEST(Trainer, FingerprintIgnoresOrder) {
  EXPECT_EQ(model::dataFingerprint({{"a", "x"}, {"b", "y"}}),
            model::dataFingerprint({{"b", "y"}, {"a", "x"}}));
  EXPECT_NE(model::dataFingerprint({{"a", "x"}, {"b", "y"}}),
            model::dataFingerprint({{"a", "y"}, {"b", "x"}}));
}

// Nothing is chosen on the test split: two training sets that differ only in the texts of the test split give
// the same kind, settings, weights and policy; only the test report tells them apart.
TEST(Trainer, TheTestSplitChoosesNothing) {
  const auto examples = demoExamples();
  model::TrainingOptions options;
  options.ngram.epochs = 4;
  const auto split = splitOf(examples, options);
  auto scrambled = examples;
  for (auto i : split.test) scrambled[i].text = "zebra quartz " + std::to_string(i);

  const auto oos = service::readOutOfScope(kData / "out_of_scope.csv");
  const auto a = model::train(examples, oos, options);
  const auto b = model::train(scrambled, oos, options);
  EXPECT_EQ(a.card.kind, b.card.kind);
  EXPECT_EQ(a.card.metrics["candidates"], b.card.metrics["candidates"]);
  EXPECT_EQ(a.card.metrics["validation_policy"], b.card.metrics["validation_policy"]);
  EXPECT_EQ(a.card.policy.threshold, b.card.policy.threshold);
  EXPECT_EQ(a.card.policy.ambiguity, b.card.policy.ambiguity);
  const std::vector<std::string> probes = {"where is my parcel", "zebra quartz 12", "I was charged twice"};
  expectSamePredictions(*a.classifier, *b.classifier, probes);
  EXPECT_NE(a.test.accuracy, b.test.accuracy);  // the scrambled test texts are not answered as well
}

TEST(Trainer, LeavesOutTextsStoredUnderTwoLabelsAndSaysSo) {
  auto examples = demoExamples();
  examples.push_back({"where is my parcel", "order_status"});
  examples.push_back({"where is my parcel", "shipping_delivery"});
  model::TrainingOptions options;
  options.kind = "linear";
  const auto result = model::train(examples, {}, options);
  const auto& conflicts = result.card.metrics["conflicting_texts"];
  EXPECT_EQ(conflicts["count"], 1);
  EXPECT_EQ(conflicts["examples"][0]["text"], "where is my parcel");
  EXPECT_EQ(conflicts["examples"][0]["labels"].size(), 2u);
  EXPECT_EQ(result.examples, static_cast<int>(examples.size()) - 2);
}

TEST(Trainer, ExamplesFiledAsOutOfScopeAreOutOfScopeQueries) {
  auto examples = demoExamples();
  const auto outOfScope = service::readOutOfScope(kData / "out_of_scope.csv");
  for (std::size_t i = 0; i < 40; ++i) examples.push_back({outOfScope[i], model::kOutOfScopeLabel});
  model::TrainingOptions options;
  options.kind = "linear";
  const auto result = model::train(examples, {}, options);
  EXPECT_EQ(result.examples, static_cast<int>(examples.size()) - 40);
  const auto& split = result.card.metrics["split"];
  EXPECT_EQ(split["out_of_scope_train"].get<int>() + split["out_of_scope_test"].get<int>(), 40);
  EXPECT_EQ(result.policy.outOfScope, split["out_of_scope_test"]);
  EXPECT_EQ(std::count(result.card.labels.begin(), result.card.labels.end(), model::kOutOfScopeLabel), 1);
  EXPECT_EQ(result.card.labels.back(), model::kOutOfScopeLabel);
}

TEST(Trainer, AutoKeepsTheBestKindOnValidation) {
  model::TrainingOptions options;
  options.ngram.epochs = 6;
  const auto result = model::train(demoExamples(), {}, options);
  const auto& candidates = result.card.metrics["candidates"];
  ASSERT_EQ(candidates.size(), 3u);
  // The kind whose tuned policy serves customers best on validation (PolicyReport::value), then the most
  // accurate.
  std::pair<double, double> best{-1e9, 0};
  for (const auto& [kind, score] : candidates.items())
    best = std::max(best, {score["policy_value"].get<double>(), score["accuracy"].get<double>()});
  const auto& chosen = candidates[result.card.kind];
  EXPECT_EQ(chosen["policy_value"].get<double>(), best.first);
  EXPECT_EQ(chosen["accuracy"].get<double>(), best.second);
  EXPECT_EQ(result.card.metrics["requested_kind"], "auto");
}

// Once everything is chosen on them, the validation questions are learned too: the shipped model knows
// made-up questions that only the validation split holds, with out-of-scope queries (the refit with folds)
// and without them.
TEST(Trainer, TheShippedModelLearnsTheValidationQuestions) {
  auto examples = demoExamples();
  model::TrainingOptions options;
  options.kind = "linear";
  const auto split = splitOf(examples, options);
  std::vector<std::string> madeUp;
  std::vector<std::string> truth;
  for (auto i : split.validation) {
    std::string word = "qx";  // a word no other text has
    for (auto n = i; n > 0; n /= 26) word += static_cast<char>('a' + n % 26);
    examples[i].text = word;
    madeUp.push_back(word);
    truth.push_back(examples[i].label);
  }
  ASSERT_GT(madeUp.size(), 50u);
  for (const auto& oos : {service::readOutOfScope(kData / "out_of_scope.csv"), std::vector<std::string>{}}) {
    const auto result = model::train(examples, oos, options);
    EXPECT_TRUE(result.card.metrics["split"]["validation_learned"].get<bool>());
    const auto& labels = result.classifier->labels();
    const auto rankings = result.classifier->predict(madeUp);
    std::size_t known = 0;
    for (std::size_t i = 0; i < madeUp.size(); ++i)
      known += labels[static_cast<std::size_t>(rankings[i].front().label)] == truth[i];
    // Measured: all 639, both ways; before the shipped model learned them, 33 without out-of-scope queries
    // and none with them (the out-of-scope label led).
    EXPECT_GE(known * 10, madeUp.size() * 9)
        << known << " of " << madeUp.size() << " with " << oos.size() << " out-of-scope queries";
  }
}
