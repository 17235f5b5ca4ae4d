#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/errors.h"

namespace shopdesk::model {

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

//! A safetensors file (8-byte header length, JSON header, data) opened for reading one tensor at a time: the
//! header is read and checked on opening, a tensor's bytes only when asked for, so a checkpoint is never
//! wholly in memory beside the model it fills. Every offset, size and dtype is checked against the file, so a
//! truncated or corrupt file is an ArtifactError, never a crash.
class SafetensorsFile {
 public:
  //! Where a tensor is and what it holds, as the header says.
  struct Entry {
    std::string dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;  //!< byte offsets into the data section
    std::uint64_t end = 0;
  };

  //! Opens `path` and checks its header; throws ArtifactError naming the file.
  explicit SafetensorsFile(const std::filesystem::path& path);

  //! The tensors by name (sorted), without their bytes.
  const std::map<std::string, Entry>& entries() const { return entries_; }
  //! Reads tensor `name` from the file; throws ArtifactError when it is missing or cannot be read.
  StoredTensor read(const std::string& name);
  //! Reads the bytes of tensor `name` straight into `out`, which must be their size (no copy beside the
  //! destination); throws ArtifactError as read() does, or when the sizes differ.
  void read(const std::string& name, std::span<char> out);
  //! Reads tensor `name` as floats, straight from the file; throws ArtifactError unless its dtype is F32 and
  //! its shape `expectedShape`.
  std::vector<float> readFloats(const std::string& name, const std::vector<std::int64_t>& expectedShape);

 private:
  //! The header's entry for `name`; throws ArtifactError when there is none.
  const Entry& entry(const std::string& name) const;
  //! Reads `entry`'s bytes into `out`, which must be their size.
  void readBytes(const std::string& name, const Entry& entry, std::span<char> out);

  std::string path_;
  std::ifstream in_;
  std::uint64_t dataStart_ = 0;
  std::map<std::string, Entry> entries_;
};

//! Reads every tensor of a safetensors file (see SafetensorsFile).
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
