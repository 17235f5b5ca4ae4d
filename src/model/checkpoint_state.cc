#include "model/checkpoint_state.h"

#include <fmt/format.h>
#include <torch/serialize.h>

#include <fstream>
#include <memory>

#include "model/errors.h"

namespace shopdesk::model {

namespace {

// A stored tensor as a libtorch tensor over its own bytes (no copy: copying into a parameter converts).
CheckpointTensor toTorch(StoredTensor stored) {
  static const std::map<std::string, torch::Dtype> dtypes = {
      {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16},
      {"F64", torch::kFloat64}, {"I64", torch::kInt64},   {"I32", torch::kInt32},
      {"I16", torch::kInt16},   {"I8", torch::kInt8},     {"U8", torch::kUInt8},
      {"BOOL", torch::kBool}};
  const auto dtype = dtypes.at(stored.dtype);  // the reader only accepts these
  auto bytes = std::make_shared<std::vector<char>>(std::move(stored.bytes));
  auto tensor = torch::from_blob(
      bytes->data(), stored.shape, [bytes](void*) mutable { bytes.reset(); }, torch::dtype(dtype));
  return {tensor, stored.dtype};
}

}  // namespace

CheckpointState::CheckpointState(const std::filesystem::path& dir) {
  if (std::filesystem::exists(dir / "model.safetensors")) {
    file_ = (dir / "model.safetensors").string();
    safetensors_.emplace(dir / "model.safetensors");
    for (const auto& [name, entry] : safetensors_->entries()) names_.push_back(name);
    return;
  }
  if (!std::filesystem::exists(dir / "pytorch_model.bin"))
    throw ArtifactError(fmt::format("{}: no model.safetensors or pytorch_model.bin", dir.string()));
  file_ = (dir / "pytorch_model.bin").string();
  std::ifstream in(file_, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    const auto value = torch::pickle_load(bytes);
    for (const auto& entry : value.toGenericDict()) {
      const auto tensor = entry.value().toTensor();
      const auto& name = entry.key().toStringRef();
      names_.push_back(name);
      pickled_.emplace(name, CheckpointTensor{tensor, std::string(tensor.dtype().name())});
    }
  } catch (const c10::Error& e) {
    throw ArtifactError(fmt::format(
        "{}: libtorch cannot read this pickle ({}); convert it to model.safetensors with Hugging Face's "
        "save_pretrained(safe_serialization=True)",
        file_, e.what_without_backtrace()));
  }
}

bool CheckpointState::readInto(const std::string& name, torch::Tensor& target) {
  if (!safetensors_) return false;
  const auto& entry = safetensors_->entries().at(name);
  if (entry.dtype != "F32" || target.scalar_type() != torch::kFloat32 || !target.is_contiguous() ||
      entry.shape != target.sizes().vec())
    return false;
  safetensors_->read(name, {static_cast<char*>(target.data_ptr()), target.nbytes()});
  return true;
}

CheckpointTensor CheckpointState::take(const std::string& name) {
  if (safetensors_) return toTorch(safetensors_->read(name));
  auto node = pickled_.extract(name);
  return std::move(node.mapped());
}

}  // namespace shopdesk::model
