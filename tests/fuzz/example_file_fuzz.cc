// CSV and JSON Lines import on any bytes: a file is either refused with an InputError naming a line, or every
// example it gives has a non-empty, trimmed, valid UTF-8 text and label within the limits.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "service/example_file.h"
#include "text/utf8.h"

using namespace shopdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the format, the rest is the file.
  const std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  service::ExampleFileOptions options;
  options.maxTextLength = 200;
  options.maxLabelLength = 20;
  std::vector<service::FileExample> examples;
  try {
    examples = (data[0] & 1) ? service::parseJsonlExamples(content, "fuzz.jsonl", options)
                             : service::parseCsvExamples(content, "fuzz.csv", options);
  } catch (const service::InputError& e) {
    fuzz::require(!e.reason().empty(), "an error says what is wrong");
    return 0;
  }
  std::size_t previousLine = 0;
  for (const auto& example : examples) {
    for (const std::string& field : {example.text, example.label}) {
      fuzz::require(!field.empty(), "no empty field");
      fuzz::require(!text::findInvalidUtf8(field), "fields are UTF-8");
      fuzz::require(text::trimSpace(field) == field, "fields are trimmed");
    }
    fuzz::require(text::countCodepoints(example.text) <= options.maxTextLength, "text within its limit");
    fuzz::require(text::countCodepoints(example.label) <= options.maxLabelLength, "label within its limit");
    fuzz::require(example.line > previousLine, "lines increase");
    previousLine = example.line;
  }
  return 0;
}
