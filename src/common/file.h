#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace shopdesk::common {

//! A file that cannot be opened or read; the message starts with its path.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! The whole file, byte for byte; throws FileError when it cannot be read.
std::string readFile(const std::filesystem::path& path);

}  // namespace shopdesk::common
