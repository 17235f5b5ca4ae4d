// The config.json reader on any bytes: a config is either refused with an ArtifactError, or it describes a
// network that can be built (positive sizes, heads dividing the hidden size, ids inside the vocabulary, no
// gap in the labels), and saving it reads back the same.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "model/safetensors.h"
#include "model/transformer_config.h"

using namespace shopdesk;

namespace {

void requireBuildable(const model::TransformerConfig& c) {
  fuzz::require(c.architecture == "bert" || c.architecture == "roberta" || c.architecture == "distilbert",
                "a known architecture");
  fuzz::require(c.vocabSize > 0 && c.hiddenSize > 0 && c.layers > 0 && c.heads > 0 &&
                    c.intermediateSize > 0 && c.maxPositions > 0,
                "positive sizes");
  fuzz::require(c.hiddenSize % c.heads == 0, "heads divide the hidden size");
  fuzz::require(c.architecture == "distilbert" ? c.typeVocabSize == 0 : c.typeVocabSize >= 1,
                "token types for BERT and RoBERTa only");
  fuzz::require(c.padTokenId >= 0 && c.padTokenId < c.vocabSize, "the padding id inside the vocabulary");
  fuzz::require(c.layerNormEps >= 0 && c.layerNormEps < 1, "a LayerNorm epsilon in [0, 1)");
  for (const double p : {c.hiddenDropout, c.attentionDropout, c.classifierDropout})
    fuzz::require(p >= 0 && p < 1, "dropout probabilities in [0, 1)");
  for (const auto& label : c.labels) fuzz::require(!label.empty(), "no gap in the labels");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;  // TransformerConfig::read turns a parse error into an ArtifactError
  model::TransformerConfig config;
  try {
    config = model::TransformerConfig::fromJson(json, "config.json");
  } catch (const model::ArtifactError&) {
    return 0;
  }
  requireBuildable(config);
  const auto again = model::TransformerConfig::fromJson(config.toJson(), "config.json");
  fuzz::require(again.architecture == config.architecture && again.vocabSize == config.vocabSize &&
                    again.hiddenSize == config.hiddenSize && again.layers == config.layers &&
                    again.heads == config.heads && again.padTokenId == config.padTokenId &&
                    again.labels == config.labels,
                "saving and reading back gives the same config");
  return 0;
}
