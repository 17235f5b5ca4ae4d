#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

// Loading and saving a transformer's weights in Hugging Face's layout. Built into libshopdesk_torch.
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

}  // namespace shopdesk::model
