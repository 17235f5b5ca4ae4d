// The libtorch encoders against a loop-by-loop reference for BERT, RoBERTa and DistilBERT, padding
// invariance, and every way loading a checkpoint's weights can go wrong.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "model/checkpoint.h"
#include "model/checkpoint_tools.h"
#include "model/int8_linear.h"
#include "model/safetensors.h"
#include "model/transformer_classifier.h"
#include "model/transformer_network.h"
#include "service/model_registry.h"
#include "transformer_reference.h"

using namespace shopdesk;

namespace {

const std::vector<std::string>& demoTexts() {
  static const auto texts = service::readOutOfScope(SHOPDESK_SOURCE_DIR "/data/train.csv");
  return texts;
}

std::filesystem::path makeCheckpoint(const std::string& architecture, std::vector<std::string> labels) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("shopdesk-ckpt-" + architecture + "-" + std::to_string(labels.size()) + "-" +
                    std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  model::CheckpointSpec spec;
  spec.architecture = architecture;
  spec.layers = 2;
  spec.hiddenSize = 32;
  spec.heads = 4;
  spec.intermediateSize = 48;
  spec.maxPositions = 64;
  spec.vocabSize = 600;
  spec.labels = std::move(labels);
  model::initCheckpoint(dir, spec, demoTexts());
  return dir;
}

const std::vector<std::string> kTexts = {
    "where is my parcel? it was due yesterday", "I was charged twice for one order",
    "Can I return shoes I wore once?", "ok", "Héllo — what's the status of order #48213?"};

double maxDifference(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
  return worst;
}

class Architectures : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(Architectures, LogitsMatchTheLoopReference) {
  const auto dir = makeCheckpoint(GetParam(), {"billing", "delivery", "returns"});
  const auto classifier = model::TransformerClassifier::fromCheckpoint(dir);
  ASSERT_EQ(classifier.labels(), (std::vector<std::string>{"billing", "delivery", "returns"}));
  const auto config = model::TransformerConfig::read(dir / "config.json");
  const reference::Weights weights{model::readSafetensors(dir / "model.safetensors")};
  for (const auto& text : kTexts) {
    const auto expected = reference::logits(config, weights, classifier.encode(text).ids);
    const auto actual = classifier.logits({text}).front();
    EXPECT_LT(maxDifference(actual, expected), 1e-4) << GetParam() << ": " << text;
  }
  std::filesystem::remove_all(dir);
}

TEST_P(Architectures, ATextGivesTheSameLogitsAloneAndInAPaddedBatch) {
  const auto dir = makeCheckpoint(GetParam(), {"a", "b"});
  const auto classifier = model::TransformerClassifier::fromCheckpoint(dir);
  const auto together = classifier.logits(kTexts);
  for (std::size_t i = 0; i < kTexts.size(); ++i)
    EXPECT_LT(maxDifference(together[i], classifier.logits({kTexts[i]}).front()), 1e-5) << kTexts[i];
  std::filesystem::remove_all(dir);
}

TEST_P(Architectures, ABaseCheckpointGetsAFreshHeadSizedToTheLabels) {
  const auto dir = makeCheckpoint(GetParam(), {});
  const auto config = model::TransformerConfig::read(dir / "config.json");
  model::TransformerNetworkImpl network(config, 7);
  const auto report = model::loadCheckpointWeights(network, dir, true);
  EXPECT_FALSE(report.freshlyInitialised.empty());
  for (const auto& name : report.freshlyInitialised)
    EXPECT_NE(name.rfind(config.prefix(), 0) == 0 && name.find(".pooler.") == std::string::npos, true)
        << name;
  const auto logits = network.forward(torch::tensor({{2, 10, 3}}), torch::ones({1, 3}, torch::kLong));
  EXPECT_EQ(logits.size(1), 7);
  std::filesystem::remove_all(dir);
}

// A loaded model only answers, so once its int8 twins exist it lets the float weights of the encoder's linear
// layers go (three quarters of bert-base's memory): the same logits as a network that kept them, and
// training or saving it is refused rather than run on nothing.
TEST_P(Architectures, LettingFloatWeightsGoAfterQuantizingChangesNoLogit) {
  if (!model::Int8Linear::supported())
    GTEST_SKIP() << "no AVX-512 or AVX VNNI: models keep answering in float";
  const auto dir = makeCheckpoint(GetParam(), {"a", "b"});
  const auto config = model::TransformerConfig::read(dir / "config.json");
  model::TransformerNetwork kept(config, 2), released(config, 2);
  for (auto* network : {&kept, &released}) {
    model::loadCheckpointWeights(**network, dir, true);
    (*network)->eval();
  }
  ASSERT_TRUE(kept->quantize());
  ASSERT_TRUE(released->quantize(true));
  EXPECT_FALSE(kept->floatReleased());
  EXPECT_TRUE(released->floatReleased());
  const auto layerWeights = [&](model::TransformerNetwork& network) {
    std::int64_t elements = 0, matrices = 0;
    for (const auto& item : network->named_parameters()) {
      if (item.key().find(".layer.") == std::string::npos ||
          item.key().find("LayerNorm") != std::string::npos ||
          item.key().find("layer_norm") != std::string::npos || !item.key().ends_with(".weight"))
        continue;
      elements += item.value().numel();
      ++matrices;
    }
    return std::pair{elements, matrices};
  };
  EXPECT_EQ(layerWeights(kept).second, 12);  // 2 layers × query, key, value, attention out, inner, out
  EXPECT_GT(layerWeights(kept).first, 0);
  EXPECT_EQ(layerWeights(released).first, 0);
  const auto loaded = model::TransformerClassifier::fromCheckpoint(dir, 64, true);
  for (const auto& text : kTexts) {
    const auto encoded = loaded.encode(text).ids;
    const auto n = static_cast<std::int64_t>(encoded.size());
    const auto ids = torch::tensor(encoded).view({1, n});
    const auto mask = torch::ones({1, n}, torch::kLong);
    EXPECT_TRUE(torch::equal(kept->forward(ids, mask), released->forward(ids, mask))) << text;
  }
  released->train();
  EXPECT_THROW(released->forward(torch::tensor({{2, 10, 3}}), torch::ones({1, 3}, torch::kLong)),
               std::logic_error);
  EXPECT_TRUE(loaded.int8());
  EXPECT_THROW(loaded.save(dir / "again"), std::logic_error);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Transformer, Architectures, ::testing::Values("bert", "roberta", "distilbert"));

namespace {

// Rewrites the checkpoint's weights through `edit` and returns the error loading them gives.
std::string loadError(const std::function<void(model::TensorMap&)>& edit) {
  const auto dir = makeCheckpoint("bert", {"a", "b"});
  auto tensors = model::readSafetensors(dir / "model.safetensors");
  edit(tensors);
  model::writeSafetensors(dir / "model.safetensors", tensors);
  model::TransformerNetworkImpl network(model::TransformerConfig::read(dir / "config.json"), 2);
  std::string message;
  try {
    model::loadCheckpointWeights(network, dir, true);
  } catch (const model::ArtifactError& e) {
    message = e.what();
  }
  std::filesystem::remove_all(dir);
  return message;
}

}  // namespace

TEST(CheckpointWeights, AMissingEncoderTensorIsNamed) {
  const auto message =
      loadError([](auto& t) { t.erase("bert.encoder.layer.1.attention.self.query.weight"); });
  EXPECT_NE(message.find("missing tensor 'bert.encoder.layer.1.attention.self.query.weight'"),
            std::string::npos)
      << message;
}

TEST(CheckpointWeights, AnUnexpectedTensorIsNamed) {
  const auto message =
      loadError([](auto& t) { t.emplace("bert.encoder.layer.9.extra", model::floatTensor({1}, {0})); });
  EXPECT_NE(message.find("unexpected tensor 'bert.encoder.layer.9.extra'"), std::string::npos) << message;
}

TEST(CheckpointWeights, AWrongShapeIsNamedWithBothShapes) {
  const auto message = loadError(
      [](auto& t) { t["bert.pooler.dense.bias"] = model::floatTensor({31}, std::vector<float>(31, 0)); });
  EXPECT_NE(message.find("'bert.pooler.dense.bias' has shape [31], the config needs [32]"), std::string::npos)
      << message;
}

TEST(CheckpointWeights, ANonFloatDtypeIsRefused) {
  const auto message = loadError([](auto& t) {
    auto& stored = t["bert.pooler.dense.bias"];
    stored.dtype = "I32";
  });
  EXPECT_NE(message.find("'bert.pooler.dense.bias' has dtype I32"), std::string::npos) << message;
}

TEST(CheckpointWeights, PretrainingHeadsAndBuffersAreIgnored) {
  EXPECT_EQ(loadError([](auto& t) {
              t.emplace("cls.predictions.bias", model::floatTensor({3}, {1, 2, 3}));
              model::StoredTensor ids{"I64", {1, 4}, std::vector<char>(32, 0)};
              t.emplace("bert.embeddings.position_ids", ids);
            }),
            "");
}

TEST(CheckpointWeights, OldGammaBetaNamesAndHalfPrecisionLoad) {
  const auto dir = makeCheckpoint("bert", {"a", "b"});
  const auto before = model::TransformerClassifier::fromCheckpoint(dir).logits({kTexts[0]}).front();
  auto tensors = model::readSafetensors(dir / "model.safetensors");
  model::TensorMap renamed;
  for (auto& [name, stored] : tensors) {
    auto key = name;
    if (key == "bert.embeddings.LayerNorm.weight") key = "bert.embeddings.LayerNorm.gamma";
    if (key == "bert.embeddings.LayerNorm.bias") key = "bert.embeddings.LayerNorm.beta";
    if (key == "classifier.weight") {
      // Stored in half precision: loading converts it back to float, within half's rounding.
      const auto values = stored.toFloats(key, stored.shape);
      const auto half = torch::tensor(values).to(torch::kFloat16).contiguous();
      stored.dtype = "F16";
      stored.bytes.assign(static_cast<const char*>(half.data_ptr()),
                          static_cast<const char*>(half.data_ptr()) + half.numel() * 2);
    }
    renamed.emplace(key, std::move(stored));
  }
  model::writeSafetensors(dir / "model.safetensors", renamed);
  const auto after = model::TransformerClassifier::fromCheckpoint(dir).logits({kTexts[0]}).front();
  EXPECT_LT(maxDifference(before, after), 1e-3);
  EXPECT_GT(maxDifference(before, after), 0.0);  // the half-precision weights were really used
  std::filesystem::remove_all(dir);
}

TEST(CheckpointWeights, InspectListsEveryTensor) {
  const auto dir = makeCheckpoint("distilbert", {"a", "b"});
  const auto info = model::inspectCheckpoint(dir);
  EXPECT_EQ(info["architecture"], "distilbert");
  EXPECT_EQ(info["layers"], 2);
  EXPECT_EQ(info["labels"], nlohmann::json({"a", "b"}));
  EXPECT_EQ(info["tokenizer"]["kind"], "wordpiece");
  bool found = false;
  for (const auto& t : info["tensors"])
    found = found || (t["name"] == "distilbert.transformer.layer.1.ffn.lin1.weight" &&
                      t["shape"] == nlohmann::json({48, 32}));
  EXPECT_TRUE(found);
  std::filesystem::remove_all(dir);
}

TEST(TransformerConfig, NamesTheBadField) {
  EXPECT_THROW(model::TransformerConfig::fromJson({{"model_type", "gpt2"}}, "c.json"), model::ArtifactError);
  try {
    model::TransformerConfig::fromJson({{"model_type", "bert"}, {"hidden_size", 32}}, "c.json");
    FAIL();
  } catch (const model::ArtifactError& e) {
    EXPECT_NE(std::string(e.what()).find("'num_hidden_layers' must be an integer from 1 to"),
              std::string::npos);
  }
}
