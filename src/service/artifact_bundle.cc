#include "service/artifact_bundle.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "common/file.h"

namespace shopdesk::service {

namespace {

constexpr std::string_view kMagic = "shopdesk-bundle 1\n";

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T take(const std::string& in, std::size_t& pos) {
  if (in.size() - pos < sizeof(T)) throw std::runtime_error("model bundle is truncated");
  T value;
  std::memcpy(&value, in.data() + pos, sizeof value);
  pos += sizeof value;
  return value;
}

}  // namespace

std::string packFolder(const std::filesystem::path& dir) {
  std::string out(kMagic);
  // Sorted, so the same folder always gives the same bytes; an ensemble keeps each member in a subfolder.
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const auto name = std::filesystem::relative(file, dir).generic_string();
    const auto bytes = common::readFile(file);
    put(out, static_cast<std::uint32_t>(name.size()));
    out += name;
    put(out, static_cast<std::uint64_t>(bytes.size()));
    out += bytes;
  }
  return out;
}

void unpackFolder(const std::string& bundle, const std::filesystem::path& dir) {
  if (!bundle.starts_with(kMagic)) throw std::runtime_error("not a shopdesk model bundle");
  const auto staging = std::filesystem::path(dir.string() + fmt::format(".unpack{}", ::getpid()));
  std::filesystem::remove_all(staging);
  std::filesystem::create_directories(staging);
  try {
    std::size_t pos = kMagic.size();
    while (pos < bundle.size()) {
      const auto nameSize = take<std::uint32_t>(bundle, pos);
      if (nameSize == 0 || nameSize > 1024 || bundle.size() - pos < nameSize)
        throw std::runtime_error("model bundle is malformed");
      const std::string name = bundle.substr(pos, nameSize);
      pos += nameSize;
      // Relative names of one or more parts ("model.json", "linear/model.safetensors"), none of them empty,
      // "." or "..": nothing can land outside the folder.
      const std::filesystem::path relative(name);
      bool inside = !name.starts_with('/') && !name.ends_with('/');
      for (const auto& part : relative) inside = inside && !part.empty() && part != "." && part != "..";
      if (!inside)
        throw std::runtime_error(fmt::format("model bundle names a file outside its folder: '{}'", name));
      std::filesystem::create_directories((staging / relative).parent_path());
      const auto size = take<std::uint64_t>(bundle, pos);
      if (bundle.size() - pos < size) throw std::runtime_error("model bundle is truncated");
      std::ofstream out(staging / relative, std::ios::binary | std::ios::trunc);
      out.write(bundle.data() + pos, static_cast<std::streamsize>(size));
      if (!out) throw std::runtime_error(fmt::format("cannot write {}", (staging / relative).string()));
      pos += size;
    }
    std::filesystem::create_directories(dir.parent_path());
    std::filesystem::remove_all(dir);
    std::filesystem::rename(staging, dir);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(staging, ignored);
    throw;
  }
}

}  // namespace shopdesk::service
