// The linear model on the demo data: an accuracy floor on the held-out test file, its save/load round trip,
// hostile texts, many categories, and corrupt artifacts.
#include "model/linear_classifier.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "demo_files.h"
#include "model/evaluation.h"
#include "model/safetensors.h"
#include "naive_bayes_baseline.h"
#include "service/example_file.h"
#include "shared_files.h"

using namespace shopdesk;

namespace {

using Data = shopdesk::testing::DemoFiles;
const Data& demo() { return shopdesk::testing::demoFiles(); }

const model::LinearClassifier& trained() {
  static const auto model =
      model::LinearClassifier::train(demo().trainTexts, demo().trainTargets, demo().labels, {});
  return model;
}

double accuracy(const model::Classifier& c, const std::vector<std::string>& texts,
                const std::vector<int>& truth) {
  const auto rankings = c.predict(texts);
  std::size_t right = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) right += rankings[i].front().label == truth[i];
  return static_cast<double>(right) / static_cast<double>(texts.size());
}

std::filesystem::path scratch(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-linear-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST(LinearClassifier, ClearsTheAccuracyFloorOnTheDemoTestFile) {
  // Trained on all of train.csv with C = 1 and no validation data. Measured: 91.9%, Naive Bayes 77.1%.
  const double a = accuracy(trained(), demo().testTexts, demo().testTargets);
  const double baseline = shopdesk::testing::naiveBayesAccuracy(
      demo().trainTexts, demo().trainTargets, demo().labels.size(), demo().testTexts, demo().testTargets);
  std::cout << "demo test accuracy " << a << ", Naive Bayes " << baseline << "\n";
  EXPECT_GE(a, 0.89);
  EXPECT_GE(a, baseline + 0.10);
  EXPECT_EQ(trained().temperature(), 1.0);  // nothing to fit it on
}

// CLINC150 (the team's shared copy; CI has it too): 150 intents, 15,000 training
// queries, C chosen on its validation file. Measured 92.7% in-scope test accuracy (scikit-learn's TF-IDF +
// LinearSVC: 92.7%).
TEST(LinearClassifier, ClearsTheAccuracyFloorOnClinc150) {
  const auto dir = shopdesk::testing::sharedFile("datasets/clinc150");
  if (!std::filesystem::exists(dir / "train.csv")) GTEST_SKIP() << "CLINC150 not present at " << dir;
  std::map<std::string, int> index;
  std::vector<std::string> labels;
  const auto read = [&](const char* file, std::vector<std::string>& texts, std::vector<int>& targets) {
    for (auto& row : service::readExampleFile(dir / file, {})) {
      const auto [it, added] = index.emplace(row.label, static_cast<int>(labels.size()));
      if (added) labels.push_back(row.label);
      texts.push_back(std::move(row.text));
      targets.push_back(it->second);
    }
  };
  std::vector<std::string> train, validation, test;
  std::vector<int> trainTargets, validationTargets, testTargets;
  read("train.csv", train, trainTargets);
  read("val.csv", validation, validationTargets);
  read("test.csv", test, testTargets);
  ASSERT_EQ(labels.size(), 150u);  // the in-scope files name no other intent
  const auto classifier =
      model::LinearClassifier::train(train, trainTargets, labels, {}, validation, validationTargets);
  const double a = accuracy(classifier, test, testTargets);
  const double baseline =
      shopdesk::testing::naiveBayesAccuracy(train, trainTargets, labels.size(), test, testTargets);
  std::cout << "CLINC150 test accuracy " << a << ", Naive Bayes " << baseline << "\n";
  EXPECT_GE(a, 0.91);
  EXPECT_GE(a, baseline + 0.02);
}

TEST(LinearClassifier, ChoosesTheCostOnValidationAndIsReproducible) {
  model::LinearClassifier::Options options;
  options.costs = {0.01, 1.0};
  // Validation: every fifth training text; the model learns from the others.
  const auto& d = demo();
  std::vector<std::string> texts, validation;
  std::vector<int> targets, validationTargets;
  for (std::size_t i = 0; i < d.trainTexts.size(); ++i) {
    (i % 5 ? texts : validation).push_back(d.trainTexts[i]);
    (i % 5 ? targets : validationTargets).push_back(d.trainTargets[i]);
  }
  const auto a =
      model::LinearClassifier::train(texts, targets, d.labels, options, validation, validationTargets);
  EXPECT_EQ(a.cost(), 1.0);         // C = 0.01 underfits
  EXPECT_NE(a.temperature(), 1.0);  // fitted on the validation texts
  const auto b =
      model::LinearClassifier::train(texts, targets, d.labels, options, validation, validationTargets);
  const auto pa = a.predict({"where is my parcel", "refund please"});
  const auto pb = b.predict({"where is my parcel", "refund please"});
  for (std::size_t i = 0; i < pa.size(); ++i) {
    for (std::size_t k = 0; k < pa[i].size(); ++k) {
      EXPECT_EQ(pa[i][k].label, pb[i][k].label);
      EXPECT_EQ(pa[i][k].probability, pb[i][k].probability);
    }
  }
}

TEST(LinearClassifier, SavesAndLoadsToTheSameProbabilities) {
  const auto dir = scratch("roundtrip");
  const auto settings = trained().save(dir);
  const auto loaded = model::LinearClassifier::load(dir, settings, demo().labels);
  const std::vector<std::string> probes = {"where is my parcel", "I was charged twice", "", "!!!"};
  const auto a = trained().predict(probes);
  const auto b = loaded.predict(probes);
  for (std::size_t i = 0; i < probes.size(); ++i) {
    for (std::size_t k = 0; k < a[i].size(); ++k) {
      EXPECT_EQ(a[i][k].label, b[i][k].label);
      EXPECT_EQ(a[i][k].probability, b[i][k].probability);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(LinearClassifier, AnswersHostileTextsWithAProperDistribution) {
  const std::vector<std::string> texts = {"",
                                          "?!?! ... ,,,",
                                          "🙂🙂🙂 😡",
                                          std::string(100 * 1024, 'a'),
                                          "\xff\xfe invalid bytes",
                                          std::string(20000, ' ') + "refund"};
  for (const auto& ranking : trained().predict(texts)) {
    ASSERT_EQ(ranking.size(), demo().labels.size());
    float sum = 0;
    for (const auto& r : ranking) sum += r.probability;
    EXPECT_NEAR(sum, 1.0f, 1e-4f);
  }
}

TEST(LinearClassifier, TrainsTwoHundredCategoriesAndOneExampleCategories) {
  std::vector<std::string> texts, labels;
  std::vector<int> targets;
  for (int c = 0; c < 200; ++c) {
    labels.push_back("category_" + std::to_string(c));
    const int examples = c % 2 == 0 ? 1 : 3;
    for (int i = 0; i < examples; ++i) {
      texts.push_back("question about topic" + std::to_string(c) + " number " + std::to_string(i));
      targets.push_back(c);
    }
  }
  const auto model = model::LinearClassifier::train(texts, targets, labels, {});
  EXPECT_EQ(model.predict({"question about topic7"})[0].front().label, 7);
  EXPECT_EQ(model.predict({"topic150"})[0].front().label, 150);
  EXPECT_THROW(model::LinearClassifier::train(texts, targets, {"only"}, {}), std::invalid_argument);
  EXPECT_THROW(model::LinearClassifier::train({}, {}, labels, {}), std::invalid_argument);
}

// Each label is its own binary problem: one that no training text carries must never win, and with a
// single label present that label wins everywhere (LIBLINEAR then sees one class, not two).
TEST(LinearClassifier, LabelsMissingFromTrainingNeverWin) {
  const std::vector<std::string> labels = {"refund", "delivery", "unused"};
  const std::vector<std::string> texts = {"refund my money", "i want a refund", "where is my parcel",
                                          "parcel not delivered"};
  const auto model = model::LinearClassifier::train(texts, {0, 0, 1, 1}, labels, {});
  for (const auto& ranking : model.predict({"refund", "parcel", "unused", ""})) {
    EXPECT_NE(ranking.front().label, 2);
    EXPECT_EQ(ranking.back().label, 2);
  }
  const auto one = model::LinearClassifier::train(texts, {1, 1, 1, 1}, labels, {});
  for (const auto& ranking : one.predict({"refund", "parcel", "something else"}))
    EXPECT_EQ(ranking.front().label, 1);
}

TEST(LinearClassifier, RefusesCorruptArtifactsNamingTheFile) {
  const auto dir = scratch("corrupt");
  const auto settings = trained().save(dir);
  const auto file = dir / "model.safetensors";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "not a safetensors file at all";
  }
  try {
    model::LinearClassifier::load(dir, settings, demo().labels);
    FAIL() << "a corrupt weights file loaded";
  } catch (const model::ArtifactError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  trained().save(dir);
  auto wrong = settings;
  wrong["temperature"] = -1;
  EXPECT_THROW(model::LinearClassifier::load(dir, wrong, demo().labels), model::ArtifactError);
  wrong = settings;
  wrong.erase("features");
  EXPECT_THROW(model::LinearClassifier::load(dir, wrong, demo().labels), model::ArtifactError);
  // Weights for another number of labels.
  EXPECT_THROW(model::LinearClassifier::load(dir, settings, {"a", "b"}), model::ArtifactError);
  std::filesystem::remove_all(dir);
}
