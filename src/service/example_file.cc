#include "service/example_file.h"

#include <csv.h>
#include <fmt/format.h>

#include <unistd.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/utf8.h"

namespace shopdesk::service {

InputError::InputError(std::string file, std::size_t line, std::string reason)
    : std::runtime_error(line ? fmt::format("{}:{}: {}", file, line, reason)
                              : fmt::format("{}: {}", file, reason)),
      file_(std::move(file)),
      line_(line),
      reason_(std::move(reason)) {}

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Checks one field and returns it trimmed; `what` names the column in the error.
std::string cleanField(std::string_view raw, std::string_view what, std::size_t maxLength,
                       const std::string& file, std::size_t line) {
  if (auto bad = text::findInvalidUtf8(raw)) {
    throw InputError(file, line, fmt::format("invalid UTF-8 in {} at byte {}", what, *bad + 1));
  }
  const std::string_view trimmed = text::trimSpace(raw);
  if (trimmed.empty()) throw InputError(file, line, fmt::format("empty {}", what));
  const std::size_t length = text::countCodepoints(trimmed);
  if (length > maxLength) {
    throw InputError(file, line,
                     fmt::format("{} is {} characters long, over the limit of {}", what, length, maxLength));
  }
  return std::string(trimmed);
}

FileExample makeExample(std::string_view text, std::string_view label, const ExampleFileOptions& options,
                        const std::string& file, std::size_t line) {
  FileExample example;
  example.text = cleanField(text, fmt::format("'{}'", options.textColumn), options.maxTextLength, file, line);
  example.label =
      cleanField(label, fmt::format("'{}'", options.labelColumn), options.maxLabelLength, file, line);
  example.line = line;
  return example;
}

// Collects libcsv's callbacks into records, remembering the physical line where each record starts.
struct CsvState {
  std::vector<std::string> fields;
  std::vector<std::pair<std::size_t, std::vector<std::string>>> records;
  std::size_t recordStart = 0;
};

void onField(void* data, std::size_t length, void* state) {
  static_cast<CsvState*>(state)->fields.emplace_back(static_cast<const char*>(data), length);
}

void onRecord(int, void* state) {
  auto* s = static_cast<CsvState*>(state);
  s->records.emplace_back(s->recordStart, std::move(s->fields));
  s->fields.clear();
  s->recordStart = 0;
}

// Where the physical line starting at `pos` ends: after "\n", "\r\n" or a lone "\r", as libcsv ends records.
// A lone "\r" counted as no line once put a record's start on line 0 (found by fuzzing).
std::size_t lineEnd(std::string_view content, std::size_t pos) {
  for (std::size_t i = pos; i < content.size(); ++i) {
    if (content[i] == '\n') return i + 1;
    if (content[i] == '\r' && (i + 1 == content.size() || content[i + 1] != '\n')) return i + 1;
  }
  return content.size();
}

std::vector<std::pair<std::size_t, std::vector<std::string>>> parseCsvRecords(std::string_view content,
                                                                              const std::string& name) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  // libcsv grows a field's buffer by this much at a time, 128 bytes by default: a 1 MB field took 8,000
  // reallocations, each copying the field so far (45 s under ASan).
  csv_set_blk_size(&parser, 1 << 20);
  CsvState state;
  std::size_t line = 0;
  std::size_t pos = 0;
  try {
    // Fed one physical line at a time so that an error can name its line.
    while (pos < content.size()) {
      ++line;
      const std::size_t end = lineEnd(content, pos);
      const std::string_view chunk = content.substr(pos, end - pos);
      if (state.recordStart == 0 && chunk.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        state.recordStart = line;
      }
      if (csv_parse(&parser, chunk.data(), chunk.size(), onField, onRecord, &state) != chunk.size()) {
        const int error = csv_error(&parser);
        throw InputError(name, line,
                         error == CSV_EPARSE
                             ? "bad quoting: a quote inside an unquoted field, or text after a "
                               "closing quote"
                             : csv_strerror(error));
      }
      pos = end;
    }
    if (csv_fini(&parser, onField, onRecord, &state) != 0) {
      throw InputError(name, state.recordStart ? state.recordStart : line,
                       "unterminated quoted field: a quote opened here is never closed");
    }
  } catch (...) {
    csv_free(&parser);
    throw;
  }
  csv_free(&parser);
  return std::move(state.records);
}

std::size_t columnIndex(const std::vector<std::string>& header, const std::string& column,
                        const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (text::trimSpace(header[i]) == column) return i;
  }
  std::string found;
  for (const auto& h : header) found += (found.empty() ? "" : ", ") + h;
  throw InputError(name, 1, fmt::format("header has no column '{}' (columns: {})", column, found));
}

}  // namespace

std::vector<FileExample> parseCsvExamples(std::string_view content, const std::string& name,
                                          const ExampleFileOptions& options) {
  if (content.starts_with(kBom)) content.remove_prefix(kBom.size());
  if (content.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(name, 0, "file is empty");
  auto records = parseCsvRecords(content, name);
  const auto& header = records.front().second;
  const std::size_t textColumn = columnIndex(header, options.textColumn, name);
  const std::size_t labelColumn = columnIndex(header, options.labelColumn, name);

  std::vector<FileExample> examples;
  examples.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& [line, fields] = records[r];
    if (fields.size() <= std::max(textColumn, labelColumn)) {
      const auto& missing = fields.size() <= textColumn ? options.textColumn : options.labelColumn;
      throw InputError(name, line,
                       fmt::format("missing field '{}': the row has {} fields, the header {}", missing,
                                   fields.size(), header.size()));
    }
    examples.push_back(makeExample(fields[textColumn], fields[labelColumn], options, name, line));
  }
  return examples;
}

std::vector<FileExample> parseJsonlExamples(std::string_view content, const std::string& name,
                                            const ExampleFileOptions& options) {
  if (content.starts_with(kBom)) content.remove_prefix(kBom.size());
  if (content.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(name, 0, "file is empty");
  std::vector<FileExample> examples;
  std::size_t line = 0;
  for (std::size_t pos = 0; pos < content.size();) {
    ++line;
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    const std::string_view record = content.substr(pos, end - pos);
    pos = end + 1;
    if (record.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (auto bad = text::findInvalidUtf8(record)) {
      throw InputError(name, line, fmt::format("invalid UTF-8 at byte {} of the line", *bad + 1));
    }
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(record);
    } catch (const nlohmann::json::exception& e) {  // a parse_error, or out_of_range for 1e400
      throw InputError(name, line, fmt::format("malformed JSON: {}", e.what()));
    }
    if (!object.is_object()) throw InputError(name, line, "expected a JSON object");
    const auto field = [&](const std::string& key) -> std::string {
      auto it = object.find(key);
      if (it == object.end()) throw InputError(name, line, fmt::format("missing field '{}'", key));
      if (!it->is_string()) throw InputError(name, line, fmt::format("field '{}' is not a string", key));
      return it->get<std::string>();
    };
    examples.push_back(
        makeExample(field(options.textColumn), field(options.labelColumn), options, name, line));
  }
  return examples;
}

FileFormat resolveFormat(const std::filesystem::path& path, FileFormat format) {
  if (format != FileFormat::kAuto) return format;
  const auto extension = path.extension().string();
  return extension == ".jsonl" || extension == ".ndjson" ? FileFormat::kJsonl : FileFormat::kCsv;
}

std::vector<FileExample> readExampleFile(const std::filesystem::path& path,
                                         const ExampleFileOptions& options) {
  const std::string name = path.string();
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw InputError(name, 0, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(name, 0, fmt::format("cannot read: {}", std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(name, 0, "read error");
  const std::string content = std::move(buffer).str();
  return resolveFormat(path, options.format) == FileFormat::kJsonl
             ? parseJsonlExamples(content, name, options)
             : parseCsvExamples(content, name, options);
}

namespace {

std::string csvField(const std::string& value) {
  std::string out(value.size() * 2 + 2, '\0');
  out.resize(csv_write(out.data(), out.size(), value.data(), value.size()));
  return out;
}

}  // namespace

void writeExampleFile(const std::filesystem::path& path, const std::vector<common::Example>& examples,
                      FileFormat format) {
  const auto temporary = std::filesystem::path(path.string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path.string(), 0, fmt::format("cannot write: {}", std::strerror(errno)));
    if (resolveFormat(path, format) == FileFormat::kJsonl) {
      for (const auto& e : examples)
        out << nlohmann::json{{"text", e.text}, {"label", e.label}}.dump() << '\n';
    } else {
      out << "text,label\n";
      for (const auto& e : examples) out << csvField(e.text) << ',' << csvField(e.label) << '\n';
    }
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw InputError(path.string(), 0, "write failed (disk full?)");
    }
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace shopdesk::service
