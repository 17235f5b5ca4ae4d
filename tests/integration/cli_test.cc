// Runs the real `shopdesk` binary against SQLite and PostgreSQL, as a user would.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "../unit/shared_files.h"
#include "run_shopdesk.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::TestDatabase;

namespace {

using shopdesk::testing::Result;

Result run(const std::vector<std::string>& args) { return shopdesk::testing::runShopdesk(args); }

class CliTest : public ::testing::TestWithParam<Backend> {
 protected:
  CliTest() : database_(GetParam()) {
    files_ = std::filesystem::temp_directory_path() / ("shopdesk-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(files_);
  }
  ~CliTest() override { std::filesystem::remove_all(files_); }

  Result shopdesk(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", database_.url()});
    return run(args);
  }
  std::string write(const std::string& name, const std::string& content) {
    const auto path = files_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  // Training examples as the store holds them, through `shopdesk export`.
  std::string exported() {
    const auto path = (files_ / "export.csv").string();
    const auto result = shopdesk({"export", path});
    EXPECT_EQ(result.exitCode, 0) << result.output;
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string statsLine(const std::string& name) {
    const auto output = shopdesk({"stats"}).output;
    const auto at = output.find(name);
    return at == std::string::npos ? "" : output.substr(at, output.find('\n', at) - at);
  }

  TestDatabase database_;
  std::filesystem::path files_;
};

}  // namespace

TEST_P(CliTest, ImportsOnceAndReportsNewCategories) {
  const auto file = write("good.csv",
                          "\xEF\xBB\xBFtext,label\r\n"
                          "\"charged twice, why\",payment_billing\r\n"
                          "\"line one\nline two\",order_status\r\n"
                          "where is my parcel,order_status\r\n");
  auto result = shopdesk({"import", file});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("stored 3 new examples (3 read, 0 already present)"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("new categories (2): payment_billing, order_status"), std::string::npos)
      << result.output;

  result = shopdesk({"import", file});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("stored 0 new examples (3 read, 3 already present)"), std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.find("new categories"), std::string::npos);

  EXPECT_EQ(
      exported(),
      "text,label\n\"charged twice, why\",\"payment_billing\"\n\"line one\nline two\",\"order_status\"\n"
      "\"where is my parcel\",\"order_status\"\n");
}

TEST_P(CliTest, ImportsJsonLinesAndNamedColumns) {
  auto result = shopdesk(
      {"import", write("a.jsonl", "{\"text\": \"cancel it\", \"label\": \"order_cancellation\"}\n")});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  result = shopdesk({"import", write("b.csv", "intent,utterance\nstore_information,when do you open\n"),
                     "--text-column", "utterance", "--label-column", "intent"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_EQ(exported(),
            "text,label\n\"cancel it\",\"order_cancellation\"\n\"when do you open\",\"store_information\"\n");
}

TEST_P(CliTest, BadFilesAbortWithLineAndStoreNothing) {
  std::string rows = "text,label\n";
  for (int i = 0; i < 500; ++i) rows += "good query " + std::to_string(i) + ",a\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {write("bad_quote.csv", rows + "he said \"hi\" there,a\n"), ":502: bad quoting"},
      {write("missing.csv", rows + "no label here\n"), ":502: missing field 'label'"},
      {write("empty_text.csv", rows + "\"  \",a\n"), ":502: empty 'text'"},
      {write("utf8.csv", rows + "caf\xE9,a\n"), ":502: invalid UTF-8 in 'text' at byte 4"},
      {write("long.csv", rows + std::string(1 << 20, 'z') + ",a\n"),
       ":502: 'text' is 1048576 characters long"},
      {write("empty.csv", ""), "empty.csv: file is empty"},
      {write("header.csv", "query,label\nhi,a\n"), "header.csv:1: header has no column 'text'"},
      {(files_ / "absent.csv").string(), "absent.csv: cannot read: No such file or directory"},
      {files_.string(), "is a directory"},
  };
  for (const auto& [file, expected] : cases) {
    const auto result = shopdesk({"import", file});
    EXPECT_EQ(result.exitCode, 1) << file;
    EXPECT_NE(result.output.find(expected), std::string::npos)
        << "expected '" << expected << "' in: " << result.output;
  }
  EXPECT_EQ(statsLine("training examples"), "training examples   0");
  EXPECT_EQ(statsLine("categories"), "categories          0");
}

TEST_P(CliTest, LoadsTheDemoDataIdempotently) {
  auto result = shopdesk({"demo"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("18 categories added"), std::string::npos) << result.output;
  const auto examples = statsLine("training examples");
  result = shopdesk({"demo"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("0 categories added"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("stored 0 new examples"), std::string::npos) << result.output;
  EXPECT_EQ(statsLine("training examples"), examples);

  result = shopdesk({"categories"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("newsletter_subscription"), std::string::npos);
  EXPECT_NE(result.output.find("18 categories"), std::string::npos);
}

TEST_P(CliTest, ABadCatalogNamesTheCategoryAndFieldAndStoresNothing) {
  const auto file = (files_ / "catalog.json").string();
  std::ofstream(file)
      << R"([{"name": "greeting", "description": "hi", "response": "Hello!", "small_talk": true},
                            {"name": "thanks", "description": "ty", "response": "You're welcome!", "small_talk": "yes"}])";
  const auto result = shopdesk({"categories", "load", file});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("category #2: 'small_talk' must be true or false"), std::string::npos)
      << result.output;
  EXPECT_EQ(statsLine("categories"), "categories          0");
}

TEST_P(CliTest, ImportsAThirdPartyDataset) {
  const auto clinc = shopdesk::testing::sharedFile("datasets/clinc150/train.csv");
  if (!std::filesystem::exists(clinc)) GTEST_SKIP() << "CLINC150 not present at " << clinc;
  const auto result = shopdesk({"import", clinc.string()});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("stored 15000 new examples"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("new categories (150)"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, CliTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);

TEST(CliErrors, UnreachablePostgresNamesHostAndPort) {
  const auto result = run({"--db", "postgresql://nobody:pw@127.0.0.1:1/none?connect_timeout=2", "stats"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("cannot connect to PostgreSQL at postgresql://nobody:***@127.0.0.1:1/none"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("port 1"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find(":pw@"), std::string::npos) << "password leaked: " << result.output;
}

TEST(CliErrors, ReadOnlyAndUnwritableSqlite) {
  TestDatabase database(Backend::kSqlite);
  ASSERT_EQ(run({"--db", database.url(), "stats"}).exitCode, 0);
  const auto file = (database.dir() / "x.csv").string();
  std::ofstream(file) << "text,label\nhello,a\n";
  auto result = run({"--db", database.url() + "?mode=ro", "import", file});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("readonly"), std::string::npos) << result.output;
  EXPECT_EQ(run({"--db", database.url(), "stats"}).output.find("training examples   1"), std::string::npos);

  result = run({"--db", "sqlite:/proc/shopdesk/none.db", "stats"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("cannot open SQLite database '/proc/shopdesk/none.db'"), std::string::npos)
      << result.output;

  result = run({"--db", "mysql://localhost/x", "stats"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("unsupported database URL"), std::string::npos) << result.output;
}

// --db and --data-dir on either side of the command; an option in the wrong place says where it belongs.
TEST(CommandLine, GlobalOptionsGoOnEitherSideAndMisplacedOptionsSayWhatToDo) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-cli-options-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto url = "sqlite:" + (dir / "options.db").string();
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "rows.csv") << "text,label\nwhere is my parcel,order_status\nrefund please,returns\n";
  }
  auto result = run({"import", (dir / "rows.csv").string(), "--db", url, "--data-dir", dir.string()});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("stored 2 new examples"), std::string::npos) << result.output;
  result = run({"--data-dir", dir.string(), "stats", "--db", url});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("2"), std::string::npos) << result.output;

  result = run({"import", (dir / "rows.csv").string(), "--db", url, "--bogus"});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.output.find("unknown option '--bogus' for 'shopdesk import'"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("See 'shopdesk import --help'"), std::string::npos) << result.output;

  result = run({"--text-column", "t", "import", (dir / "rows.csv").string(), "--db", url});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(
      result.output.find("'--text-column' is an option of 'shopdesk import': give it after the command name"),
      std::string::npos)
      << result.output;

  result = run({"stats", "--db", url, "--text-column", "t"});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.output.find("'--text-column' is not an option of 'shopdesk stats' (it is one of "
                               "'shopdesk import')"),
            std::string::npos)
      << result.output;

  result = run({"stats", "--db", url, "surplus"});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.output.find("'surplus' was not expected by 'shopdesk stats'"), std::string::npos)
      << result.output;
  std::filesystem::remove_all(dir);
}
