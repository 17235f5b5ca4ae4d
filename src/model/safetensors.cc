#include "model/safetensors.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

namespace shopdesk::model {

namespace {

// Headers past this size are refused: real ones are a few KB per hundred tensors.
constexpr std::uint64_t kMaxHeader = 100 << 20;

std::int64_t dtypeSize(const std::string& dtype) {
  static const std::map<std::string, std::int64_t> sizes = {{"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2},
                                                            {"I64", 8}, {"I32", 4}, {"I16", 2}, {"I8", 1},
                                                            {"U8", 1},  {"BOOL", 1}};
  auto it = sizes.find(dtype);
  return it == sizes.end() ? 0 : it->second;
}

// The entries of a header, each checked against `dataSize` bytes of data; `name` is used in errors.
std::map<std::string, SafetensorsFile::Entry> parseHeader(const std::string& text, std::uint64_t dataSize,
                                                          const std::string& name) {
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(fmt::format("{}: malformed header: {}", name, e.what()));
  }
  if (!header.is_object()) throw ArtifactError(fmt::format("{}: header is not a JSON object", name));
  std::map<std::string, SafetensorsFile::Entry> entries;
  for (const auto& item : header.items()) {
    // Named rather than a structured binding: clang 14 (the fuzz build) cannot capture those in a lambda.
    const std::string& key = item.key();
    const auto& value = item.value();
    if (key == "__metadata__") continue;
    const auto bad = [&](const std::string& why) {
      return ArtifactError(fmt::format("{}: tensor '{}': {}", name, key, why));
    };
    if (!value.is_object() || !value.contains("dtype") || !value.contains("shape") ||
        !value.contains("data_offsets")) {
      throw bad("needs dtype, shape and data_offsets");
    }
    const auto& dtype = value["dtype"];
    const auto& shape = value["shape"];
    const auto& offsets = value["data_offsets"];
    if (!dtype.is_string() || !shape.is_array() || !offsets.is_array() || offsets.size() != 2 ||
        !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
      throw bad("malformed dtype, shape or data_offsets");
    }
    SafetensorsFile::Entry entry;
    entry.dtype = dtype.get<std::string>();
    const std::int64_t size = dtypeSize(entry.dtype);
    if (size == 0) throw bad("unknown dtype " + entry.dtype);
    std::uint64_t count = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned() || d.get<std::uint64_t>() > (1ULL << 40)) throw bad("malformed shape");
      entry.shape.push_back(d.get<std::int64_t>());
      // Checked before multiplying: two dimensions of 2^40 would wrap to 0 (found by fuzzing).
      const auto dimension = d.get<std::uint64_t>();
      if (dimension != 0 && count > (1ULL << 40) / dimension) throw bad("shape too large");
      count *= dimension;
    }
    entry.begin = offsets[0].get<std::uint64_t>();
    entry.end = offsets[1].get<std::uint64_t>();
    if (entry.begin > entry.end || entry.end > dataSize)
      throw bad("data offsets outside the file (truncated?)");
    if (entry.end - entry.begin != count * static_cast<std::uint64_t>(size)) {
      throw bad(
          fmt::format("{} bytes of data for {} elements of {}", entry.end - entry.begin, count, entry.dtype));
    }
    entries.emplace(key, std::move(entry));
  }
  return entries;
}

// The header's length from the first 8 bytes, checked against a file of `fileSize` bytes.
std::uint64_t headerLength(const char* first8, std::uint64_t fileSize, const std::string& name) {
  if (fileSize < 8) throw ArtifactError(fmt::format("{}: too short to be a safetensors file", name));
  std::uint64_t headerSize = 0;
  std::memcpy(&headerSize, first8, 8);  // little-endian, like every platform shopdesk builds on
  if (headerSize > kMaxHeader || headerSize > fileSize - 8) {
    throw ArtifactError(
        fmt::format("{}: header length {} does not fit the file ({} bytes)", name, headerSize, fileSize));
  }
  return headerSize;
}

// Why tensor `name` cannot be read as floats of shape `expected`, or nothing when it can.
std::optional<std::string> floatsMismatch(const std::string& name, const std::string& dtype,
                                          const std::vector<std::int64_t>& shape,
                                          const std::vector<std::int64_t>& expected) {
  if (dtype != "F32") return fmt::format("tensor '{}' has dtype {}, expected F32", name, dtype);
  if (shape != expected) {
    return fmt::format("tensor '{}' has shape [{}], expected [{}]", name, fmt::join(shape, ", "),
                       fmt::join(expected, ", "));
  }
  return std::nullopt;
}

}  // namespace

std::int64_t StoredTensor::elements() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::vector<float> StoredTensor::toFloats(const std::string& name,
                                          const std::vector<std::int64_t>& expected) const {
  if (const auto why = floatsMismatch(name, dtype, shape, expected)) throw ArtifactError(*why);
  std::vector<float> values(static_cast<std::size_t>(elements()));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

std::vector<std::int64_t> StoredTensor::toInt64s(const std::string& name) const {
  if (dtype != "I64") throw ArtifactError(fmt::format("tensor '{}' has dtype {}, expected I64", name, dtype));
  if (shape.size() != 1)
    throw ArtifactError(fmt::format("tensor '{}' has {} dimensions, expected 1", name, shape.size()));
  std::vector<std::int64_t> values(static_cast<std::size_t>(elements()));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(std::int64_t));
  return values;
}

TensorMap parseSafetensors(const std::string& data, const std::string& name) {
  const auto headerSize = headerLength(data.data(), data.size(), name);
  const std::uint64_t dataStart = 8 + headerSize;
  TensorMap tensors;
  for (auto& [key, entry] : parseHeader(data.substr(8, headerSize), data.size() - dataStart, name)) {
    const auto from = data.begin() + static_cast<std::ptrdiff_t>(dataStart + entry.begin);
    tensors.emplace(
        key,
        StoredTensor{std::move(entry.dtype), std::move(entry.shape),
                     std::vector<char>(from, from + static_cast<std::ptrdiff_t>(entry.end - entry.begin))});
  }
  return tensors;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : path_(path.string()), in_(path, std::ios::binary) {
  std::error_code error;
  const auto fileSize = std::filesystem::file_size(path, error);
  if (!in_ || error) throw ArtifactError(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
  char first8[8] = {};
  in_.read(first8, fileSize < 8 ? 0 : 8);
  const auto headerSize = headerLength(first8, fileSize, path_);
  std::string header(headerSize, '\0');
  if (!in_.read(header.data(), static_cast<std::streamsize>(headerSize)))
    throw ArtifactError(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
  dataStart_ = 8 + headerSize;
  entries_ = parseHeader(header, fileSize - dataStart_, path_);
}

const SafetensorsFile::Entry& SafetensorsFile::entry(const std::string& name) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) throw ArtifactError(fmt::format("{}: missing tensor '{}'", path_, name));
  return it->second;
}

void SafetensorsFile::readBytes(const std::string& name, const Entry& entry, std::span<char> out) {
  if (out.size() != entry.end - entry.begin) {
    throw ArtifactError(fmt::format("{}: tensor '{}' has {} bytes, not the {} asked for", path_, name,
                                    entry.end - entry.begin, out.size()));
  }
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(dataStart_ + entry.begin));
  if (!in_.read(out.data(), static_cast<std::streamsize>(out.size())))
    throw ArtifactError(fmt::format("{}: cannot read tensor '{}' (file changed?)", path_, name));
}

StoredTensor SafetensorsFile::read(const std::string& name) {
  const auto& found = entry(name);
  StoredTensor tensor{found.dtype, found.shape, std::vector<char>(found.end - found.begin)};
  readBytes(name, found, tensor.bytes);
  return tensor;
}

void SafetensorsFile::read(const std::string& name, std::span<char> out) {
  readBytes(name, entry(name), out);
}

std::vector<float> SafetensorsFile::readFloats(const std::string& name,
                                               const std::vector<std::int64_t>& expectedShape) {
  const auto& found = entry(name);
  if (const auto why = floatsMismatch(name, found.dtype, found.shape, expectedShape))
    throw ArtifactError(fmt::format("{}: {}", path_, *why));
  std::vector<float> values((found.end - found.begin) / sizeof(float));
  readBytes(name, found, {reinterpret_cast<char*>(values.data()), values.size() * sizeof(float)});
  return values;
}

TensorMap readSafetensors(const std::filesystem::path& path) {
  SafetensorsFile file(path);
  TensorMap tensors;
  for (const auto& [name, entry] : file.entries()) tensors.emplace(name, file.read(name));
  return tensors;
}

void writeSafetensors(const std::filesystem::path& path, const TensorMap& tensors) {
  nlohmann::json header = nlohmann::json::object();
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    header[name] = {{"dtype", tensor.dtype},
                    {"shape", tensor.shape},
                    {"data_offsets", {offset, offset + tensor.bytes.size()}}};
    offset += tensor.bytes.size();
  }
  std::string headerText = header.dump();
  headerText.append((8 - headerText.size() % 8) % 8,
                    ' ');  // the format pads the header to 8 bytes with spaces
  const std::uint64_t headerSize = headerText.size();

  const auto temporary = std::filesystem::path(path.string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(&headerSize), 8);
    out << headerText;
    for (const auto& [name, tensor] : tensors)
      out.write(tensor.bytes.data(), static_cast<std::streamsize>(tensor.bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw ArtifactError(fmt::format("{}: write failed", path.string()));
    }
  }
  std::filesystem::rename(temporary, path);
}

StoredTensor floatTensor(std::vector<std::int64_t> shape, const std::vector<float>& values) {
  StoredTensor tensor{"F32", std::move(shape), {}};
  tensor.bytes.resize(values.size() * sizeof(float));
  std::memcpy(tensor.bytes.data(), values.data(), tensor.bytes.size());
  return tensor;
}

StoredTensor takeTensor(TensorMap& tensors, const std::string& name, const std::string& file) {
  const auto it = tensors.find(name);
  if (it == tensors.end()) throw ArtifactError(fmt::format("{}: missing tensor '{}'", file, name));
  auto tensor = std::move(it->second);
  tensors.erase(it);
  return tensor;
}

StoredTensor int64Tensor(const std::vector<std::int64_t>& values) {
  StoredTensor tensor{"I64", {static_cast<std::int64_t>(values.size())}, {}};
  tensor.bytes.resize(values.size() * sizeof(std::int64_t));
  std::memcpy(tensor.bytes.data(), values.data(), tensor.bytes.size());
  return tensor;
}

}  // namespace shopdesk::model
