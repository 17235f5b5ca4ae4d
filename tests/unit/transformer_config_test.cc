#include "model/transformer_config.h"

#include <gtest/gtest.h>

#include "model/safetensors.h"

using namespace shopdesk;

namespace {

nlohmann::json bert() {
  return {{"model_type", "bert"},
          {"vocab_size", 100},
          {"hidden_size", 32},
          {"num_hidden_layers", 2},
          {"num_attention_heads", 4},
          {"intermediate_size", 64},
          {"max_position_embeddings", 64},
          {"id2label", {{"0", "a"}, {"1", "b"}}}};
}

// The ArtifactError message for `json`, or "" when it is accepted.
std::string errorOf(const nlohmann::json& json) {
  try {
    model::TransformerConfig::fromJson(json, "config.json");
  } catch (const model::ArtifactError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(TransformerConfig, ReadsBertWithHuggingFaceDefaults) {
  const auto c = model::TransformerConfig::fromJson(bert(), "config.json");
  EXPECT_EQ(c.architecture, "bert");
  EXPECT_EQ(c.typeVocabSize, 2);
  EXPECT_EQ(c.padTokenId, 0);
  EXPECT_EQ(c.labels, (std::vector<std::string>{"a", "b"}));
  auto roberta = bert();
  roberta["model_type"] = "roberta";
  roberta["classifier_dropout"] = nullptr;  // null is "use hidden_dropout_prob", as Hugging Face reads it
  EXPECT_EQ(model::TransformerConfig::fromJson(roberta, "config.json").padTokenId, 1);
}

// Found by fuzzing (and by reading what the fuzzer checks): each of these was accepted, or escaped as a
// nlohmann exception, and would have failed later while building the network.
TEST(TransformerConfig, RefusesWhatCannotBuildANetwork) {
  auto c = bert();
  c["model_type"] = 3;
  EXPECT_NE(errorOf(c).find("config.json: "), std::string::npos);
  c = bert();
  c["id2label"] = {{"01", "a"}, {"1", "b"}};  // two spellings of id 1 left id 0 without a label
  EXPECT_EQ(errorOf(c), "config.json: id2label has a gap, a repeated id or a bad label at '01'");
  c = bert();
  c["pad_token_id"] = 100;
  EXPECT_EQ(errorOf(c), "config.json: pad_token_id 100 is outside the vocabulary");
  c = bert();
  c["type_vocab_size"] = -1;
  EXPECT_NE(errorOf(c).find("'type_vocab_size' must be an integer from 1"), std::string::npos);
  c = bert();
  c["hidden_size"] = 1LL << 40;
  EXPECT_EQ(errorOf(c), "config.json: 'hidden_size' must be an integer from 1 to 1048576");
  c = bert();
  c["hidden_size"] = 18446744073709551615ULL;
  EXPECT_NE(errorOf(c), "");
  c = bert();
  c["hidden_dropout_prob"] = 1.5;
  EXPECT_EQ(errorOf(c), "config.json: dropout probabilities must be in [0, 1)");
  c = bert();
  c["type_vocab_size"] = 7.7e45;  // a float: converting it to int64 was undefined behaviour (found in CI)
  EXPECT_EQ(errorOf(c), "config.json: 'type_vocab_size' must be an integer");
  c = bert();
  c["pad_token_id"] = 1.5;
  EXPECT_EQ(errorOf(c), "config.json: 'pad_token_id' must be an integer");
  c = bert();
  c["layer_norm_eps"] = "small";
  EXPECT_EQ(errorOf(c), "config.json: 'layer_norm_eps' must be a number");
}

TEST(TransformerConfig, SavingAndReadingBackKeepsTheLabels) {
  auto c = model::TransformerConfig::fromJson(bert(), "config.json");
  c.labels = {"x", "y", "z"};
  const auto again = model::TransformerConfig::fromJson(c.toJson(), "config.json");
  EXPECT_EQ(again.labels, c.labels);
  EXPECT_EQ(again.hiddenSize, 32);
}
