#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace shopdesk::model {

//! A file that is not a valid safetensors file, or lacks what the reader asked for; the message names the
//! file and the tensor.
class ArtifactError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! One tensor as stored: dtype name ("F32", "I64", …), shape, and raw little-endian bytes.
struct StoredTensor {
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::vector<char> bytes;

  std::int64_t elements() const;
  //! The values as floats; throws ArtifactError unless the dtype is F32 and the shape is `expectedShape`.
  std::vector<float> toFloats(const std::string& name, const std::vector<std::int64_t>& expectedShape) const;
  //! The values as 64-bit integers; throws ArtifactError unless the dtype is I64 and the tensor has one
  //! dimension.
  std::vector<std::int64_t> toInt64s(const std::string& name) const;
};

//! Tensors by name, in the order safetensors writes them (sorted by name).
using TensorMap = std::map<std::string, StoredTensor>;

//! Reads a safetensors file (8-byte header length, JSON header, data). Every offset, size and dtype is
//! checked against the file, so a truncated or corrupt file is an ArtifactError, never a crash.
TensorMap readSafetensors(const std::filesystem::path& path);

//! Parses safetensors bytes already in memory; `name` is used in errors.
TensorMap parseSafetensors(const std::string& bytes, const std::string& name);

//! Writes `tensors` as a safetensors file, atomically (a temporary file renamed into place).
void writeSafetensors(const std::filesystem::path& path, const TensorMap& tensors);

//! Removes tensor `name` from `tensors` and returns it; throws ArtifactError naming `file` when it is
//! missing.
StoredTensor takeTensor(TensorMap& tensors, const std::string& name, const std::string& file);

//! A float tensor of `shape` holding `values`.
StoredTensor floatTensor(std::vector<std::int64_t> shape, const std::vector<float>& values);
//! A one-dimensional I64 tensor holding `values`.
StoredTensor int64Tensor(const std::vector<std::int64_t>& values);

}  // namespace shopdesk::model
