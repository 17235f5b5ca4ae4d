#include "service/example_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace shopdesk::service;

namespace {

std::vector<FileExample> csv(std::string_view content, ExampleFileOptions options = {}) {
  return parseCsvExamples(content, "in.csv", options);
}

// The InputError message for `content`, or "" when it parses.
std::string csvError(std::string_view content, ExampleFileOptions options = {}) {
  try {
    csv(content, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string jsonlError(std::string_view content) {
  try {
    parseJsonlExamples(content, "in.jsonl", {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CsvExamples, ReadsPlainRows) {
  const auto rows = csv("text,label\nwhere is my parcel,order_status\nrefund please,returns_refunds\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "where is my parcel");
  EXPECT_EQ(rows[0].label, "order_status");
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].line, 3u);
}

TEST(CsvExamples, HandlesQuotingCrlfBomAndExtraColumns) {
  const auto rows =
      csv("\xEF\xBB\xBFid,label,text\r\n"
          "1,payment_billing,\"charged twice, help\"\r\n"
          "2,order_status,\"it said \"\"shipped\"\"\nthen nothing\"\r\n"
          "3,store_information,  hours?  \r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text, "charged twice, help");
  EXPECT_EQ(rows[1].text, "it said \"shipped\"\nthen nothing");
  EXPECT_EQ(rows[2].text, "hours?");
  EXPECT_EQ(rows[2].line, 5u);  // the quoted newline makes record 2 span lines 3-4
}

// Found by fuzzing: libcsv ends a record at a lone "\r" (old Mac files), and the record after it was put on
// line 0, which means "the whole file".
TEST(CsvExamples, LoneCarriageReturnsEndLines) {
  const auto rows = csv("text,label\rwhere is it,order_status\rrefund me,refund\r");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(csvError("text,label\rok,fine\r,empty\r"), "in.csv:3: empty 'text'");
}

TEST(CsvExamples, UsesNamedColumns) {
  ExampleFileOptions options;
  options.textColumn = "utterance";
  options.labelColumn = "intent";
  const auto rows = csv("intent,utterance\ncancel,stop my order\n", options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "stop my order");
  EXPECT_EQ(rows[0].label, "cancel");
  EXPECT_EQ(csvError("text,label\na,b\n", options),
            "in.csv:1: header has no column 'utterance' (columns: text, label)");
}

TEST(CsvExamples, RejectsBadFilesWithLineAndReason) {
  EXPECT_EQ(csvError(""), "in.csv: file is empty");
  EXPECT_EQ(csvError(" \r\n\n"), "in.csv: file is empty");
  EXPECT_EQ(csvError("text,category\nhi,x\n"),
            "in.csv:1: header has no column 'label' (columns: text, category)");
  EXPECT_EQ(csvError("text,label\nok,a\nonly text\n"),
            "in.csv:3: missing field 'label': the row has 1 fields, the header 2");
  EXPECT_EQ(csvError("text,label\nok,a\n  ,b\n"), "in.csv:3: empty 'text'");
  EXPECT_EQ(csvError("text,label\nok,\n"), "in.csv:2: empty 'label'");
  EXPECT_EQ(csvError("text,label\nok,a\nbad \xFF byte,a\n"), "in.csv:3: invalid UTF-8 in 'text' at byte 5");
  EXPECT_EQ(csvError("text,label\nfine,a\nhe said \"hi\" there,a\n"),
            "in.csv:3: bad quoting: a quote inside an unquoted field, or text after a closing quote");
  EXPECT_EQ(csvError("text,label\nfine,a\n\"never closed,a\nmore,b\n"),
            "in.csv:3: unterminated quoted field: a quote opened here is never closed");
}

TEST(CsvExamples, EnforcesTheLengthLimit) {
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(csvError("text,label\n" + big + ",a\n"),
            "in.csv:2: 'text' is 1048576 characters long, over the limit of 5000");
  ExampleFileOptions roomy;
  roomy.maxTextLength = 2 << 20;
  const auto rows = csv("text,label\n\"" + big + "\",a\n", roomy);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text.size(), big.size());
}

TEST(JsonlExamples, ReadsObjectsAndSkipsBlankLines) {
  const auto rows = parseJsonlExamples(
      "{\"text\": \"caf\\u00e9 open?\", \"label\": \"store_information\", \"id\": "
      "7}\n\n{\"label\":\"x\",\"text\":\"y\"}",
      "in.jsonl", {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "caf\xC3\xA9 open?");
  EXPECT_EQ(rows[1].line, 3u);
}

TEST(JsonlExamples, RejectsBadLines) {
  EXPECT_EQ(jsonlError("\n"), "in.jsonl: file is empty");
  EXPECT_EQ(jsonlError("{\"text\":\"a\",\"label\":\"b\"}\n[1,2]\n"), "in.jsonl:2: expected a JSON object");
  EXPECT_EQ(jsonlError("{\"text\":\"a\"}\n"), "in.jsonl:1: missing field 'label'");
  EXPECT_EQ(jsonlError("{\"text\":5,\"label\":\"b\"}\n"), "in.jsonl:1: field 'text' is not a string");
  EXPECT_EQ(jsonlError("{\"text\":\"\xC3\",\"label\":\"b\"}\n"),
            "in.jsonl:1: invalid UTF-8 at byte 10 of the line");
  EXPECT_TRUE(jsonlError("{\"text\":\"a\",\n").starts_with("in.jsonl:1: malformed JSON"));
  // Found by fuzzing: a number beyond a double is nlohmann's out_of_range, not a parse_error.
  EXPECT_TRUE(jsonlError("8888888E8828888\n").starts_with("in.jsonl:1: malformed JSON"));
}

TEST(ExampleFile, WritesWhatItReads) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-example-file-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::vector<shopdesk::common::Example> rows = {
      {"plain", "a"}, {"comma, \"quote\" and\nnewline", "b"}, {"\xF0\x9F\x93\xA6 emoji", "c"}};
  for (const auto* name : {"out.csv", "out.jsonl"}) {
    writeExampleFile(dir / name, rows, FileFormat::kAuto);
    const auto back = readExampleFile(dir / name, {});
    ASSERT_EQ(back.size(), rows.size()) << name;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(back[i].text, rows[i].text) << name;
      EXPECT_EQ(back[i].label, rows[i].label) << name;
    }
  }
  EXPECT_THROW(readExampleFile(dir / "missing.csv", {}), InputError);
  EXPECT_THROW(readExampleFile(dir, {}), InputError);
  std::filesystem::remove_all(dir);
}
