#pragma once

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/safetensors.h"

// Built into libshopdesk_torch, as everything that holds libtorch tensors.
namespace shopdesk::model {

//! A checkpoint tensor as libtorch holds it, with the dtype name the file gave it (for error messages).
struct CheckpointTensor {
  torch::Tensor tensor;
  std::string dtype;
};

//! A checkpoint's state dict by tensor name: read one tensor at a time from model.safetensors, so a large
//! model is never in memory twice over, or all at once from a PyTorch pickle (libtorch reads those whole).
class CheckpointState {
 public:
  //! Opens dir/model.safetensors, else dir/pytorch_model.bin; throws ArtifactError naming what is wrong.
  explicit CheckpointState(const std::filesystem::path& dir);

  const std::string& file() const { return file_; }
  const std::vector<std::string>& names() const { return names_; }

  //! Reads tensor `name` straight into `target` when nothing needs converting (F32 of its shape, from
  //! safetensors), so no copy of the weights sits beside the model: for bert-base, 94 MB less at the peak.
  //! Returns false, reading nothing, otherwise.
  bool readInto(const std::string& name, torch::Tensor& target);

  //! Tensor `name` (one of names()); what it held is let go here.
  CheckpointTensor take(const std::string& name);

 private:
  std::string file_;
  std::vector<std::string> names_;
  std::optional<SafetensorsFile> safetensors_;
  std::map<std::string, CheckpointTensor> pickled_;
};

}  // namespace shopdesk::model
