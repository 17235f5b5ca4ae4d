// Training a chosen model again on more data with its settings kept (refit), and the out-of-scope folds the
// trainer tunes the shipped model's policy on.
#include "model/refit.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "demo_files.h"
#include "model/ensemble_classifier.h"
#include "model/linear_classifier.h"
#include "model/trainer.h"

using namespace shopdesk;

namespace {

using Data = shopdesk::testing::DemoFiles;

// A third of the demo store's files; test.csv's rows are what settings (C, the ensemble's weights) are
// chosen on here.
const Data& demo() {
  static const Data data = [] {
    const auto& files = shopdesk::testing::demoFiles();
    Data d{files.labels, {}, {}, {}, {}};
    for (std::size_t i = 0; i < files.trainTexts.size(); i += 3) {
      d.trainTexts.push_back(files.trainTexts[i]);
      d.trainTargets.push_back(files.trainTargets[i]);
    }
    for (std::size_t i = 0; i < files.testTexts.size(); i += 3) {
      d.testTexts.push_back(files.testTexts[i]);
      d.testTargets.push_back(files.testTargets[i]);
    }
    return d;
  }();
  return data;
}

const std::vector<std::string> kProbes = {"where is my parcel", "I was charged twice", "hello",
                                          "zebra quartz", ""};

void expectSamePredictions(const model::Classifier& a, const model::Classifier& b) {
  const auto pa = a.predict(kProbes);
  const auto pb = b.predict(kProbes);
  for (std::size_t i = 0; i < kProbes.size(); ++i) {
    ASSERT_EQ(pa[i].size(), pb[i].size());
    for (std::size_t k = 0; k < pa[i].size(); ++k) {
      EXPECT_EQ(pa[i][k].label, pb[i][k].label) << kProbes[i];
      EXPECT_EQ(pa[i][k].probability, pb[i][k].probability) << kProbes[i];
    }
  }
}

model::NgramClassifier::Options smallNgram() {
  model::NgramClassifier::Options o;
  o.epochs = 5;
  o.features.buckets = 1 << 16;
  return o;
}

// The n-gram model as the trainer leaves it: the weights of the epoch chosen on validation (here the third).
model::NgramClassifier ngramChosenAtEpoch3() {
  const auto& d = demo();
  return model::NgramClassifier::train(d.trainTexts, d.trainTargets, d.labels, smallNgram(),
                                       [](const model::EpochProgress& p, const model::Classifier&) {
                                         return model::EpochVerdict{p.epoch == 3};
                                       });
}

std::shared_ptr<const model::Classifier> linear() {
  const auto& d = demo();
  model::LinearClassifier::Options o;
  o.costs = {0.25, 4};  // far apart, so the choice shows
  return std::make_shared<model::LinearClassifier>(
      model::LinearClassifier::train(d.trainTexts, d.trainTargets, d.labels, o, d.testTexts, d.testTargets));
}

}  // namespace

// Refitted on the very data it learned from, each kind comes back the same model: every setting chosen on
// validation (C and temperature, the epoch, the ensemble's weights and temperature) is kept, none chosen
// again.
TEST(Refit, OnTheSameDataEachKindIsTheSameModel) {
  const auto& d = demo();
  const model::RefitOptions options{smallNgram(), 3, nullptr};
  const auto linearModel = linear();
  expectSamePredictions(*linearModel, *model::refit(*linearModel, d.trainTexts, d.trainTargets, options));

  const auto ngram = std::make_shared<model::NgramClassifier>(ngramChosenAtEpoch3());
  expectSamePredictions(*ngram, *model::refit(*ngram, d.trainTexts, d.trainTargets, options));

  const auto ensemble = model::EnsembleClassifier::combine({linearModel, ngram}, d.testTexts, d.testTargets);
  const auto again = model::refit(ensemble, d.trainTexts, d.trainTargets, options);
  expectSamePredictions(ensemble, *again);
  const auto& members = dynamic_cast<const model::EnsembleClassifier&>(*again).members();
  EXPECT_EQ(members[0].weight, ensemble.members()[0].weight);
}

TEST(Refit, OnMoreDataTheSettingsStayAndTheModelLearns) {
  const auto& d = demo();
  const auto model = linear();
  auto texts = d.trainTexts;
  auto targets = d.trainTargets;
  texts.insert(texts.end(), 5, "zebra quartz");
  targets.insert(targets.end(), 5, 0);
  const auto more = model::refit(*model, texts, targets, {});
  const auto& before = dynamic_cast<const model::LinearClassifier&>(*model);
  const auto& after = dynamic_cast<const model::LinearClassifier&>(*more);
  EXPECT_EQ(after.cost(), before.cost());
  EXPECT_EQ(after.temperature(), before.temperature());
  EXPECT_NE(model->predict({"zebra quartz"})[0][0].label, 0);
  EXPECT_EQ(more->predict({"zebra quartz"})[0][0].label, 0);
}

// Each out-of-scope query is ranked by a model that never saw it: made-up queries whose words occur nowhere
// else are sure out-of-scope to the model that learned them, and not to the ones that did not.
TEST(Refit, HeldOutRankingsComeFromModelsThatNeverSawTheQuery) {
  const auto& d = demo();
  auto labels = d.labels;
  const int oos = static_cast<int>(labels.size());
  labels.push_back("out_of_scope");
  model::LinearClassifier::Options o;
  o.costs = {1};
  const auto model = model::LinearClassifier::train(d.trainTexts, d.trainTargets, labels, o);
  std::vector<std::string> queries;
  for (const char* q : {"blorp snizzle", "wug frabjous", "quux zorbing", "flibber jabber", "grommet vox",
                        "plinth umbra", "zyzzyva hark", "kerfuffle nib", "snark boojum", "tove wabe"})
    queries.emplace_back(q);
  const auto refit = model::refitWithOutOfScope(model, d.trainTexts, d.trainTargets, queries, oos, 5, {});
  ASSERT_EQ(refit.heldOutRankings.size(), queries.size());
  const auto shipped = refit.model->predict(queries);
  const auto probabilityOfOos = [&](const std::vector<model::Ranked>& ranking) {
    for (const auto& r : ranking) {
      if (r.label == oos) return r.probability;
    }
    return 0.0f;
  };
  for (std::size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(shipped[i].front().label, oos) << queries[i];
    EXPECT_LT(probabilityOfOos(refit.heldOutRankings[i]), probabilityOfOos(shipped[i])) << queries[i];
  }
  // The shipped fit is the model refitted on every query.
  auto texts = d.trainTexts;
  auto targets = d.trainTargets;
  texts.insert(texts.end(), queries.begin(), queries.end());
  targets.insert(targets.end(), queries.size(), oos);
  expectSamePredictions(*refit.model, *model::refit(model, texts, targets, {}));
}

TEST(Refit, RefusesWhatItCannotDo) {
  const auto& d = demo();
  const auto model = linear();
  EXPECT_THROW(model::refitWithOutOfScope(*model, d.trainTexts, d.trainTargets, {"a", "b"}, 0, 1, {}),
               std::invalid_argument);
  EXPECT_THROW(model::refitWithOutOfScope(*model, d.trainTexts, d.trainTargets, {"a", "b"}, 0, 3, {}),
               std::invalid_argument);
  const auto ensemble = model::EnsembleClassifier::combine(
      {model, std::make_shared<model::NgramClassifier>(ngramChosenAtEpoch3())}, {}, {});
  EXPECT_THROW((void)ensemble.withMembers({model}), std::invalid_argument);
  EXPECT_THROW((void)ensemble.withMembers({model, model}), std::invalid_argument);
  std::atomic<bool> cancel{true};
  EXPECT_THROW(model::refit(*model, d.trainTexts, d.trainTargets, {{}, 0, &cancel}),
               model::TrainingCancelled);
}
