#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

// Built into libshopdesk_torch: code outside it reaches inspectCheckpoint and initCheckpoint through
// torchModule() (model/torch_module.h).
namespace shopdesk::model {

class TransformerNetworkImpl;

//! What loading a checkpoint's weights did besides copying them.
struct WeightReport {
  std::vector<std::string> freshlyInitialised;  //!< head tensors the checkpoint lacked (a base checkpoint)
  std::vector<std::string> ignored;  //!< pre-training heads and buffers the classifier does not use
};

//! Copies a Hugging Face checkpoint's weights (model.safetensors, else pytorch_model.bin) into `network` by
//! name. F16/BF16/F64 weights are converted to F32; the old gamma/beta LayerNorm names and checkpoints saved
//! without the encoder prefix are accepted. A missing encoder tensor, an unexpected tensor, a wrong shape or
//! a non-float dtype is an ArtifactError naming the tensor. With `keepHead` false the checkpoint's
//! classification head is left out (its categories are not the store's).
WeightReport loadCheckpointWeights(TransformerNetworkImpl& network, const std::filesystem::path& dir,
                                   bool keepHead);

//! Writes the network's parameters to dir/model.safetensors with Hugging Face's names.
void saveCheckpointWeights(TransformerNetworkImpl& network, const std::filesystem::path& dir);

//! Architecture, sizes, tokenizer and every tensor's name, dtype and shape, for `shopdesk checkpoint
//! inspect`.
nlohmann::json inspectCheckpoint(const std::filesystem::path& dir);

//! What `shopdesk checkpoint init` writes: a tiny random checkpoint in Hugging Face's layout, for tests and
//! trying things out without a download.
struct CheckpointSpec {
  std::string architecture = "bert";
  std::int64_t layers = 2;
  std::int64_t hiddenSize = 32;
  std::int64_t heads = 2;
  std::int64_t intermediateSize = 64;
  std::int64_t maxPositions = 128;
  std::size_t vocabSize = 2000;  //!< WordPiece vocabulary size, or BPE merges for RoBERTa
  bool lowerCase = true;
  std::vector<std::string> labels;  //!< empty: a base checkpoint without a classification head
  std::uint64_t seed = 42;
};

//! Writes config.json, model.safetensors and tokenizer files learned from `texts` into `dir`.
void initCheckpoint(const std::filesystem::path& dir, const CheckpointSpec& spec,
                    const std::vector<std::string>& texts);

}  // namespace shopdesk::model
