// The one whole-file reader every layer uses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "common/file.h"

namespace fs = std::filesystem;
using shopdesk::common::FileError;
using shopdesk::common::readFile;

namespace {

fs::path scratch() {
  auto dir = fs::temp_directory_path() / ("shopdesk-file-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

void expectFileError(const fs::path& path) {
  try {
    readFile(path);
    ADD_FAILURE() << path << " was read";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ": cannot be read");
  }
}

}  // namespace

TEST(ReadFile, ReturnsEveryByteAndAnEmptyFileAsEmpty) {
  const auto dir = scratch();
  const std::string bytes("a\0b\r\n\xFF\xFE end", 11);
  std::ofstream(dir / "bytes", std::ios::binary) << bytes;
  std::ofstream(dir / "empty", std::ios::binary).flush();
  EXPECT_EQ(readFile(dir / "bytes"), bytes);
  EXPECT_EQ(readFile(dir / "empty"), "");
  fs::remove_all(dir);
}

TEST(ReadFile, AMissingFileOrAFolderIsAnErrorNamingThePath) {
  const auto dir = scratch();
  expectFileError(dir / "missing");
  expectFileError(dir);
  fs::remove_all(dir);
}
