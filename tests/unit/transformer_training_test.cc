// Fine-tuning: a tiny model learns a small set perfectly with gradients reaching every parameter, the
// frozen encoder stays frozen, cancelling stops, a saved model gives identical logits, and the shared
// Trainer reaches an accuracy floor on the demo data's held-out split.
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <nlohmann/json.hpp>

#include "model/artifact.h"
#include "model/checkpoint.h"
#include "model/checkpoint_tools.h"
#include "model/int8_linear.h"
#include "model/safetensors.h"
#include "model/trainer.h"
#include "model/transformer_classifier.h"
#include "service/example_file.h"
#include "service/model_registry.h"

using namespace shopdesk;

namespace {

struct Small {
  std::vector<std::string> texts;
  std::vector<int> targets;
  std::vector<std::string> labels;
};

// Six queries from each of four demo categories.
Small smallSet() {
  Small s;
  std::map<std::string, int> taken;
  for (const auto& row : service::readExampleFile(SHOPDESK_SOURCE_DIR "/data/train.csv", {})) {
    if (!taken.count(row.label) && taken.size() == 4) continue;
    auto [it, added] = taken.emplace(row.label, 0);
    if (added) s.labels.push_back(row.label);
    if (it->second++ >= 6) continue;
    s.texts.push_back(row.text);
    s.targets.push_back(
        static_cast<int>(std::find(s.labels.begin(), s.labels.end(), row.label) - s.labels.begin()));
  }
  return s;
}

std::filesystem::path baseCheckpoint(const std::string& name, std::int64_t hidden = 32) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-train-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  model::CheckpointSpec spec;
  spec.layers = 2;
  spec.hiddenSize = hidden;
  spec.heads = 4;
  spec.intermediateSize = hidden * 2;
  spec.maxPositions = 64;
  spec.vocabSize = 1500;
  model::initCheckpoint(dir, spec, service::readOutOfScope(SHOPDESK_SOURCE_DIR "/data/train.csv"));
  return dir;
}

model::TransformerClassifier::Options fastOptions(const std::filesystem::path& checkpoint) {
  model::TransformerClassifier::Options o;
  o.checkpoint = checkpoint.string();
  o.epochs = 30;
  o.learningRate = 3e-3;
  o.batchSize = 8;
  o.weightDecay = 0;  // every change to a weight then comes from its gradient
  o.maxLength = 32;
  return o;
}

// The checkpoint's weights in `dir`, and those of `classifier` saved beside them.
std::pair<model::TensorMap, model::TensorMap> weightsBeforeAndAfter(
    const model::TransformerClassifier& classifier, const std::filesystem::path& dir) {
  const auto saved = dir / "trained";
  std::filesystem::create_directories(saved);
  classifier.save(saved);
  return {model::readSafetensors(dir / "model.safetensors"),
          model::readSafetensors(saved / "model.safetensors")};
}

}  // namespace

TEST(TransformerTraining, OverfitsASmallSetWithGradientsReachingEveryParameter) {
  const auto dir = baseCheckpoint("overfit");
  const auto data = smallSet();
  ASSERT_EQ(data.texts.size(), 24u);
  // Six texts each of the first four categories of train.csv, three of them about a placed order: longer than
  // the other tests, until every text is learnt.
  auto options = fastOptions(dir);
  options.epochs = 60;
  const auto classifier = model::TransformerClassifier::train(data.texts, data.targets, data.labels, options);
  const auto rankings = classifier.predict(data.texts);
  int right = 0;
  for (std::size_t i = 0; i < rankings.size(); ++i) right += rankings[i].front().label == data.targets[i];
  EXPECT_EQ(right, 24);

  const auto [before, after] = weightsBeforeAndAfter(classifier, dir);
  for (const auto& [name, tensor] : before) {
    ASSERT_TRUE(after.count(name)) << name;
    EXPECT_NE(tensor.bytes, after.at(name).bytes) << name << " never changed: no gradient reached it";
  }
  EXPECT_TRUE(after.count("classifier.weight"));
  std::filesystem::remove_all(dir);
}

TEST(TransformerTraining, AFrozenEncoderStaysAsItWas) {
  const auto dir = baseCheckpoint("frozen");
  const auto data = smallSet();
  auto options = fastOptions(dir);
  options.freezeEncoder = true;
  options.epochs = 60;
  const auto classifier = model::TransformerClassifier::train(data.texts, data.targets, data.labels, options);
  const auto [before, after] = weightsBeforeAndAfter(classifier, dir);
  for (const auto& [name, tensor] : before) {
    if (name.find(".pooler.") != std::string::npos) continue;  // BERT's pooler belongs to the head
    EXPECT_EQ(tensor.bytes, after.at(name).bytes) << name;
  }
  std::filesystem::remove_all(dir);
}

TEST(TransformerTraining, CancellingStopsTraining) {
  const auto dir = baseCheckpoint("cancel");
  const auto data = smallSet();
  std::atomic<bool> cancel{true};
  auto options = fastOptions(dir);
  options.cancel = &cancel;
  EXPECT_THROW(model::TransformerClassifier::train(data.texts, data.targets, data.labels, options),
               model::TrainingCancelled);
  std::filesystem::remove_all(dir);
}

TEST(TransformerTraining, BadOptionsAndCheckpointsAreClearErrors) {
  const auto data = smallSet();
  model::TransformerClassifier::Options options;
  EXPECT_THROW(model::TransformerClassifier::train(data.texts, data.targets, data.labels, options),
               std::invalid_argument);  // no checkpoint
  options.checkpoint = "/nonexistent/checkpoint";
  EXPECT_THROW(model::TransformerClassifier::train(data.texts, data.targets, data.labels, options),
               model::ArtifactError);
}

TEST(TransformerTraining, TheTrainerReachesTheFloorOnTheDemoDataAndTheArtifactReloadsExactly) {
  const auto dir = baseCheckpoint("demo", 64);
  std::vector<common::Example> examples;
  for (auto& row : service::readExampleFile(SHOPDESK_SOURCE_DIR "/data/train.csv", {}))
    examples.push_back({std::move(row.text), std::move(row.label)});
  model::TrainingOptions options;
  options.kind = "transformer";
  options.transformer.checkpoint = dir.string();
  options.transformer.epochs = 8;
  options.transformer.learningRate = 2e-3;
  options.transformer.batchSize = 32;
  options.transformer.maxLength = 48;
  int epochs = 0;
  double tokensPerSecond = 0;
  const auto result = model::train(examples, {}, options, [&](const model::TrainingProgress& p) {
    epochs = p.epoch;
    tokensPerSecond = p.tokensPerSecond;
  });
  std::cout << result.test.summary() << "tokens/s " << tokensPerSecond << "\n";
  EXPECT_GT(epochs, 0);
  EXPECT_GT(tokensPerSecond, 0);
  // A randomly initialised 2-layer model (no pre-training at all) measured 63.7% with this seed; pre-trained
  // checkpoints do far better, but tests never download one.
  EXPECT_GE(result.test.accuracy, 0.55);

  const auto artifact = dir / "artifact";
  model::saveModel(*result.classifier, result.card, artifact);
  const auto loaded = model::loadModel(artifact);
  ASSERT_EQ(loaded.card.kind, "transformer");
  const auto& original = dynamic_cast<const model::TransformerClassifier&>(*result.classifier);
  const auto& reloaded = dynamic_cast<const model::TransformerClassifier&>(*loaded.classifier);
  const std::vector<std::string> probe = {"where is my parcel", "refund please", "x"};
  EXPECT_EQ(original.logits(probe), reloaded.logits(probe));

  // int8 against float answers on the demo test file: the accuracy int8 costs, measured.
  auto settings = loaded.card.settings;
  settings["int8"] = false;
  const auto fp32 = model::TransformerClassifier::load(artifact, settings, loaded.card.labels);
  settings["int8"] = true;
  const auto int8 = model::TransformerClassifier::load(artifact, settings, loaded.card.labels);
  EXPECT_FALSE(fp32.int8());
  // Without VNNI the int8 kernels would be slower than float, so the model keeps answering in float.
  EXPECT_EQ(int8.int8(), model::Int8Linear::supported());
  if (!model::Int8Linear::supported()) {
    EXPECT_EQ(fp32.logits(probe), int8.logits(probe));
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "this CPU has no AVX-512 or AVX VNNI: int8 accuracy not measured, float fallback checked";
  }
  std::vector<std::string> texts;
  std::vector<std::string> truth;
  for (auto& row : service::readExampleFile(SHOPDESK_SOURCE_DIR "/data/test.csv", {})) {
    texts.push_back(std::move(row.text));
    truth.push_back(std::move(row.label));
  }
  const auto floatRankings = fp32.predict(texts);
  const auto int8Rankings = int8.predict(texts);
  int floatRight = 0, int8Right = 0, agree = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto f = floatRankings[i].front().label;
    const auto q = int8Rankings[i].front().label;
    floatRight += loaded.card.labels[static_cast<std::size_t>(f)] == truth[i];
    int8Right += loaded.card.labels[static_cast<std::size_t>(q)] == truth[i];
    agree += f == q;
  }
  const double n = static_cast<double>(texts.size());
  std::cout << "data/test.csv: float accuracy " << floatRight / n << ", int8 " << int8Right / n
            << ", same answer " << agree / n << "\n";
  EXPECT_GE(agree / n, 0.95);
  EXPECT_GE(int8Right / n, floatRight / n - 0.02);
  std::filesystem::remove_all(dir);
}
