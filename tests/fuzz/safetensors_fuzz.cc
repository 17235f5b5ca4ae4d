// The safetensors reader on any bytes: a file is either refused with an ArtifactError, or every tensor it
// gives has a known dtype and exactly the bytes its shape needs, and writing it back reads back the same.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_support.h"
#include "model/safetensors.h"

using namespace shopdesk;

namespace {

std::int64_t dtypeSize(const std::string& dtype) {
  if (dtype == "F64" || dtype == "I64") return 8;
  if (dtype == "F32" || dtype == "I32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL") return 1;
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  model::TensorMap tensors;
  try {
    tensors = model::parseSafetensors(bytes, "fuzz.safetensors");
  } catch (const model::ArtifactError&) {
    return 0;
  }
  for (const auto& [name, tensor] : tensors) {
    fuzz::require(dtypeSize(tensor.dtype) > 0, "a known dtype");
    for (const auto d : tensor.shape) fuzz::require(d >= 0, "no negative dimension");
    fuzz::require(
        static_cast<std::int64_t>(tensor.bytes.size()) == tensor.elements() * dtypeSize(tensor.dtype),
        "the bytes the shape needs");
    if (tensor.dtype == "F32") {
      const auto values = tensor.toFloats(name, tensor.shape);
      fuzz::require(values.size() == static_cast<std::size_t>(tensor.elements()), "one float per element");
    }
  }
  // What was read is written and read back unchanged (the writer's own output must always parse).
  static const auto path = std::filesystem::temp_directory_path() /
                           ("shopdesk-fuzz-" + std::to_string(::getpid()) + ".safetensors");
  model::writeSafetensors(path, tensors);
  const auto again = model::readSafetensors(path);
  std::filesystem::remove(path);
  fuzz::require(again.size() == tensors.size(), "the same tensors back");
  for (const auto& [name, tensor] : tensors) {
    const auto it = again.find(name);
    fuzz::require(it != again.end() && it->second.dtype == tensor.dtype && it->second.shape == tensor.shape &&
                      it->second.bytes == tensor.bytes,
                  "the same tensor back");
  }
  return 0;
}
