// The ensemble of the linear and n-gram models: weights chosen on validation, and a save/load round trip
// (through the database's bundle format, subfolders and all) that gives identical probabilities.
#include "model/ensemble_classifier.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "model/artifact.h"
#include "model/linear_classifier.h"
#include "model/ngram_classifier.h"
#include "service/artifact_bundle.h"
#include "service/example_file.h"

using namespace shopdesk;

namespace {

struct Data {
  std::vector<std::string> labels;
  std::vector<std::string> texts, validationTexts;
  std::vector<int> targets, validationTargets;
};

// The demo's training file: every fifth row for validation.
const Data& demo() {
  static const Data data = [] {
    Data d;
    std::map<std::string, int> index;
    std::size_t row = 0;
    for (const auto& r : service::readExampleFile(SHOPDESK_SOURCE_DIR "/data/train.csv", {})) {
      auto [it, added] = index.emplace(r.label, static_cast<int>(d.labels.size()));
      if (added) d.labels.push_back(r.label);
      (row % 5 ? d.texts : d.validationTexts).push_back(r.text);
      (row++ % 5 ? d.targets : d.validationTargets).push_back(it->second);
    }
    return d;
  }();
  return data;
}

model::EnsembleClassifier ensemble() {
  const auto& d = demo();
  model::NgramClassifier::Options ngram;
  ngram.epochs = 5;
  ngram.features.buckets = 1 << 16;
  auto linear = std::make_shared<model::LinearClassifier>(model::LinearClassifier::train(
      d.texts, d.targets, d.labels, {}, d.validationTexts, d.validationTargets));
  auto ngramModel = std::make_shared<model::NgramClassifier>(
      model::NgramClassifier::train(d.texts, d.targets, d.labels, ngram));
  return model::EnsembleClassifier::combine({linear, ngramModel}, d.validationTexts, d.validationTargets);
}

}  // namespace

TEST(EnsembleClassifier, WeighsItsMembersOnValidation) {
  const auto model = ensemble();
  ASSERT_EQ(model.members().size(), 2u);
  EXPECT_EQ(model.members()[0].classifier->kind(), "linear");
  EXPECT_GT(model.members()[0].weight, 0.0);
  EXPECT_LT(model.members()[0].weight, 1.0);
  EXPECT_NEAR(model.members()[0].weight + model.members()[1].weight, 1.0, 1e-12);
  EXPECT_GT(model.temperature(), 0.0);
  for (const auto& ranking : model.predict({"where is my parcel", "", "🙂"})) {
    float sum = 0;
    for (const auto& r : ranking) sum += r.probability;
    EXPECT_NEAR(sum, 1.0f, 1e-4f);
  }
  EXPECT_EQ(model.labels()[static_cast<std::size_t>(model.predict({"where is my parcel"})[0][0].label)],
            "order_status");
}

TEST(EnsembleClassifier, RoundTripsThroughItsFolderAndTheBundle) {
  const auto model = ensemble();
  const auto base =
      std::filesystem::temp_directory_path() / ("shopdesk-ensemble-" + std::to_string(::getpid()));
  std::filesystem::remove_all(base);
  model::ModelCard card;
  model::saveModel(model, card, base / "saved");
  EXPECT_TRUE(std::filesystem::exists(base / "saved" / "linear" / "model.safetensors"));
  EXPECT_TRUE(std::filesystem::exists(base / "saved" / "ngram" / "model.safetensors"));
  // As a replica recreates it from the database: packed, unpacked elsewhere, loaded.
  service::unpackFolder(service::packFolder(base / "saved"), base / "replica");
  const auto loaded = model::loadModel(base / "replica");
  EXPECT_EQ(loaded.card.kind, "ensemble");
  const std::vector<std::string> probes = {"where is my parcel", "I was charged twice", "hello there", ""};
  const auto a = model.predict(probes);
  const auto b = loaded.classifier->predict(probes);
  for (std::size_t i = 0; i < probes.size(); ++i) {
    for (std::size_t k = 0; k < a[i].size(); ++k) {
      EXPECT_EQ(a[i][k].label, b[i][k].label);
      EXPECT_EQ(a[i][k].probability, b[i][k].probability);
    }
  }
  // A member's weights gone: the error names the member's file.
  std::filesystem::remove(base / "replica" / "ngram" / "model.safetensors");
  try {
    model::loadModel(base / "replica");
    FAIL() << "an ensemble without its n-gram weights loaded";
  } catch (const model::ArtifactError& e) {
    EXPECT_NE(std::string(e.what()).find("ngram/model.safetensors"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(base);
}

TEST(EnsembleClassifier, RefusesMembersThatDoNotFit) {
  const auto& d = demo();
  auto a = std::make_shared<model::LinearClassifier>(
      model::LinearClassifier::train(d.texts, d.targets, d.labels, {}));
  auto other = d.labels;
  other.back() = "something_else";
  auto b = std::make_shared<model::LinearClassifier>(
      model::LinearClassifier::train(d.texts, d.targets, other, {}));
  EXPECT_THROW(model::EnsembleClassifier::combine({a, b}, {}, {}), std::invalid_argument);
  EXPECT_THROW(model::EnsembleClassifier::combine({a}, {}, {}), std::invalid_argument);
  EXPECT_THROW(model::EnsembleClassifier::combine({a, a}, {}, {}),
               std::invalid_argument);  // one of each kind
}
