#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/example.h"

namespace shopdesk::service {

//! A file of labelled examples that cannot be used; what() reads "FILE:LINE: reason".
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::size_t line, std::string reason);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }  //!< 0 when the problem is the whole file
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::size_t line_;
  std::string reason_;
};

enum class FileFormat { kAuto, kCsv, kJsonl };

struct ExampleFileOptions {
  FileFormat format = FileFormat::kAuto;  //!< kAuto: .jsonl/.ndjson are JSON Lines, anything else CSV
  std::string textColumn = "text";
  std::string labelColumn = "label";
  std::size_t maxTextLength = 5000;  //!< in code points, after trimming
  std::size_t maxLabelLength = 100;
};

//! One example with the line its record starts on.
struct FileExample : common::Example {
  std::size_t line = 0;
};

//! Reads every example of `path`, or throws InputError at the first bad record (nothing is returned then).
std::vector<FileExample> readExampleFile(const std::filesystem::path& path,
                                         const ExampleFileOptions& options);

//! Parses CSV with a header row (RFC 4180 quoting, BOM, CRLF, quoted newlines); `name` is used in errors.
std::vector<FileExample> parseCsvExamples(std::string_view content, const std::string& name,
                                          const ExampleFileOptions& options);

//! Parses JSON Lines: one object per line with string fields; blank lines are skipped.
std::vector<FileExample> parseJsonlExamples(std::string_view content, const std::string& name,
                                            const ExampleFileOptions& options);

//! Writes `examples` as CSV (`text,label`) or JSON Lines, atomically: a reader never sees half a file.
void writeExampleFile(const std::filesystem::path& path, const std::vector<common::Example>& examples,
                      FileFormat format);

//! The format `path` names when `format` is kAuto.
FileFormat resolveFormat(const std::filesystem::path& path, FileFormat format);

}  // namespace shopdesk::service
