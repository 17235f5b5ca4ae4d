#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace shopdesk::model {

//! The architecture of a Hugging Face checkpoint, read from its config.json. BERT and RoBERTa share one
//! layout (RoBERTa differs in position ids and its head); DistilBERT has its own names and no token types.
struct TransformerConfig {
  std::string architecture;  //!< "bert", "roberta" or "distilbert" (config.json's model_type)
  std::int64_t vocabSize = 0;
  std::int64_t hiddenSize = 0;
  std::int64_t layers = 0;
  std::int64_t heads = 0;
  std::int64_t intermediateSize = 0;
  std::int64_t maxPositions = 512;
  std::int64_t typeVocabSize = 2;  //!< 0 for DistilBERT
  std::int64_t padTokenId = 0;
  double layerNormEps = 1e-12;
  std::string activation = "gelu";  //!< "gelu" (erf), "gelu_new"/"gelu_pytorch_tanh" (tanh form) or "relu"
  double hiddenDropout = 0.1;
  double attentionDropout = 0.1;
  double classifierDropout = 0.1;
  std::vector<std::string> labels;  //!< id2label in id order; empty when the checkpoint has no head
  nlohmann::json raw;               //!< the file as read, kept so that saving loses nothing

  //! Parses config.json; throws ArtifactError naming the file and the field that is missing or wrong.
  static TransformerConfig read(const std::filesystem::path& file);
  static TransformerConfig fromJson(const nlohmann::json& json, const std::string& source);
  //! config.json as Hugging Face writes it, with num_labels/id2label/label2id set from `labels`.
  nlohmann::json toJson() const;

  std::int64_t headSize() const { return hiddenSize / heads; }
  //! The prefix of the encoder's tensors: "bert.", "roberta." or "distilbert.".
  std::string prefix() const { return architecture + "."; }
};

}  // namespace shopdesk::model
