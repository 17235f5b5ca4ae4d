#include "common/file.h"

#include <fstream>
#include <sstream>

namespace shopdesk::common {

std::string readFile(const std::filesystem::path& path) {
  std::error_code error;
  // A folder opens as a stream on Linux and then reads as empty.
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, error)) throw FileError(path.string() + ": cannot be read");
  std::ostringstream content;
  content << in.rdbuf();  // an empty file sets failbit on `content`, which is not an error
  if (in.bad()) throw FileError(path.string() + ": read failed");
  return std::move(content).str();
}

}  // namespace shopdesk::common
