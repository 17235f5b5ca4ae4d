// shopdesk export --store / import --store: a store moves from SQLite to a real PostgreSQL server and back,
// and servers started on each copy answer with the same model, interactions, tokens and audit log.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "run_shopdesk.h"
#include "server_process.h"
#include "store/sqlite_connection.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::runShopdesk;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

class StoreMoveTest : public ::testing::Test {
 protected:
  StoreMoveTest()
      : dir_(fs::temp_directory_path() / ("shopdesk-move-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~StoreMoveTest() override { fs::remove_all(dir_); }

  static std::string sqlite(const fs::path& dataDir) {
    return "sqlite:" + (dataDir / "shopdesk.db").string();
  }

  // `shopdesk stats` without the line that names the database.
  static std::string stats(const std::string& url) {
    const auto result = runShopdesk({"--db", url, "stats"});
    EXPECT_EQ(result.exitCode, 0) << result.output;
    return std::regex_replace(result.output, std::regex("database .*\n"), "");
  }

  fs::path dir_;
};

json get(ServerProcess& server, const std::string& path) {
  auto result = server.client().Get(path, server.admin());
  if (!result || result->status != 200)
    throw std::runtime_error("GET " + path + ": " + (result ? result->body : "no response"));
  return json::parse(result->body);
}

}  // namespace

TEST_F(StoreMoveTest, AStoreMovesFromSqliteToPostgresAndBackWithItsModelInteractionsTokensAndAudit) {
  const auto a = dir_ / "a";
  std::string version;
  std::string secret;
  std::vector<std::pair<std::int64_t, std::string>> asked;
  std::string auditBefore;
  {
    ServerProcess server(sqlite(a), a, {"--bootstrap"});
    auto client = server.client();
    for (const char* query : {"where is my parcel SD-300400?", "I was charged twice", "can I return shoes"}) {
      auto answer = client.Post("/api/v1/answers", json{{"query", query}}.dump(), "application/json");
      ASSERT_TRUE(answer && answer->status == 201);
      asked.emplace_back(json::parse(answer->body)["interaction_id"].get<std::int64_t>(), query);
    }
    auto token = client.Post("/api/v1/tokens", server.admin(), R"({"name":"alice"})", "application/json");
    ASSERT_EQ(token->status, 201) << token->body;
    secret = json::parse(token->body)["token"];
    version = get(server, "/readyz")["model"];
    auditBefore = get(server, "/api/v1/audit")["items"].dump();
    // Exported while the server answers.
    const auto exported = runShopdesk({"--db", sqlite(a), "export", "--store", (dir_ / "shop.db").string()});
    ASSERT_EQ(exported.exitCode, 0) << exported.output;
    EXPECT_NE(exported.output.find("customer_interactions"), std::string::npos) << exported.output;
  }

  TestDatabase postgres(Backend::kPostgres);
  const auto imported =
      runShopdesk({"--db", postgres.url(), "import", "--store", (dir_ / "shop.db").string()});
  ASSERT_EQ(imported.exitCode, 0) << imported.output;
  const auto again = runShopdesk({"--db", postgres.url(), "import", "--store", (dir_ / "shop.db").string()});
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_NE(again.output.find("holds data already"), std::string::npos) << again.output;
  EXPECT_EQ(stats(postgres.url()), stats(sqlite(a)));
  {
    ServerProcess server(postgres.url(),
                         dir_ / "b");  // no model folder: the artifact comes from the database
    EXPECT_EQ(get(server, "/readyz")["model"], version) << server.log();
    for (const auto& [id, query] : asked)
      EXPECT_EQ(get(server, "/api/v1/interactions/" + std::to_string(id))["query"], query);
    auto me = server.client().Get("/api/v1/me", {{"Authorization", "Bearer " + secret}});
    ASSERT_TRUE(me && me->status == 200);
    EXPECT_EQ(json::parse(me->body)["name"], "alice");
    const auto audit = get(server, "/api/v1/audit")["items"];
    EXPECT_EQ(audit[0]["action"], "store.import");
    EXPECT_EQ(audit[0]["actor"], "cli");
    auto copied = audit;
    copied.erase(0);
    EXPECT_EQ(copied.dump(), auditBefore);
    // New rows follow the copied ones: PostgreSQL's sequences were moved on.
    auto answer = server.client().Post("/api/v1/answers", R"({"query":"hello there"})", "application/json");
    ASSERT_TRUE(answer && answer->status == 201) << (answer ? answer->body : "no response");
    EXPECT_GT(json::parse(answer->body)["interaction_id"].get<std::int64_t>(), asked.back().first);
  }

  // And back to a new SQLite store.
  const auto c = dir_ / "c";
  ASSERT_EQ(runShopdesk({"--db", postgres.url(), "export", "--store", (dir_ / "back.db").string()}).exitCode,
            0);
  const auto back = runShopdesk({"--data-dir", c.string(), "import", "--store", (dir_ / "back.db").string()});
  ASSERT_EQ(back.exitCode, 0) << back.output;
  EXPECT_EQ(stats(sqlite(c)), stats(postgres.url()));
  ServerProcess server(sqlite(c), dir_ / "d");
  EXPECT_EQ(get(server, "/readyz")["model"], version) << server.log();
  EXPECT_EQ(get(server, "/api/v1/interactions/" + std::to_string(asked[0].first))["entities"][0]["value"],
            "SD-300400");
}

TEST_F(StoreMoveTest, WhatIsNotAStoreOrWouldOverwriteIsRefusedAndNothingIsWritten) {
  const auto a = dir_ / "a";
  ASSERT_EQ(runShopdesk({"--data-dir", a.string(), "demo"}).exitCode, 0);
  const auto refused = [](const std::vector<std::string>& args, const std::string& message) {
    const auto result = runShopdesk(args);
    EXPECT_NE(result.exitCode, 0) << result.output;
    EXPECT_NE(result.output.find(message), std::string::npos) << result.output;
  };
  const auto file = dir_ / "shop.db";
  ASSERT_EQ(runShopdesk({"--data-dir", a.string(), "export", "--store", file.string()}).exitCode, 0);
  refused({"--data-dir", a.string(), "export", "--store", file.string()}, "exists already");
  refused({"--data-dir", a.string(), "export", "--store", "--format", "csv", (dir_ / "x.db").string()},
          "excludes");

  std::ofstream(dir_ / "examples.csv") << "text,label\nhello,greeting\n";
  refused({"--data-dir", (dir_ / "b").string(), "import", "--store", (dir_ / "examples.csv").string()},
          "is not a shopdesk backup");
  const auto newer = dir_ / "newer.db";
  fs::copy_file(file, newer);
  shopdesk::store::SqliteConnection(newer.string(), false)
      .execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
               {std::int64_t{999}, std::string("from the future"), std::int64_t{0}});
  refused({"--data-dir", (dir_ / "b").string(), "import", "--store", newer.string()},
          "written by a newer shopdesk");
  // Nothing was half-imported: the store is there (opened to import into) and empty.
  const auto stats = runShopdesk({"--data-dir", (dir_ / "b").string(), "stats"});
  EXPECT_NE(stats.output.find("categories          0"), std::string::npos) << stats.output;
  // A store with data is not imported into.
  refused({"--data-dir", a.string(), "import", "--store", file.string()}, "holds data already");
}
