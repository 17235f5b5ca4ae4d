// The data a store keeps over time: shopdesk backup and restore of the embedded SQLite store, taken while a
// server answers, and the retention period of customers' questions.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "answer_load.h"
#include "common/clock.h"
#include "run_shopdesk.h"
#include "server_process.h"
#include "small_demo.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

using shopdesk::testing::AnswerLoad;
using shopdesk::testing::runShopdesk;
using shopdesk::testing::ServerProcess;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

class BackupTest : public ::testing::Test {
 protected:
  BackupTest()
      : dir_(fs::temp_directory_path() / ("shopdesk-backup-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~BackupTest() override { fs::remove_all(dir_); }

  static std::string url(const fs::path& dataDir) { return "sqlite:" + (dataDir / "shopdesk.db").string(); }

  fs::path dir_;
};

}  // namespace

TEST_F(BackupTest, ABackupTakenWhileAnsweringRestoresTheActiveModelAndEveryInteractionBeforeIt) {
  const auto a = dir_ / "a";
  const auto file = dir_ / "shop.backup";
  std::string activeVersion;
  std::map<std::int64_t, std::string> beforeBackup;  // acknowledged before the backup started
  {
    ServerProcess server(url(a), a, {"--bootstrap"});
    AnswerLoad load(server, 4);
    load.waitFor(200);
    beforeBackup = load.acknowledged();
    const auto backup = runShopdesk({"--db", url(a), "backup", file.string()});  // the clients keep sending
    const auto during = load.acknowledged().size() - beforeBackup.size();
    load.stop();
    ASSERT_EQ(backup.exitCode, 0) << backup.output;
    ASSERT_GE(beforeBackup.size(), 200u);
    std::printf("backup: %zu interactions acknowledged before it, %zu while it ran\n", beforeBackup.size(),
                during);
    auto ready = server.client().Get("/readyz");
    ASSERT_TRUE(ready && ready->status == 200);
    activeVersion = json::parse(ready->body)["model"].get<std::string>();
  }
  EXPECT_FALSE(fs::exists(fs::path(file.string() + ".partial")));

  // A new data directory on another machine, as far as it knows: no model folders, only the backup.
  const auto b = dir_ / "b";
  const auto restore = runShopdesk({"--data-dir", b.string(), "restore", file.string()});
  ASSERT_EQ(restore.exitCode, 0) << restore.output;
  ServerProcess server(url(b), b);
  auto ready = server.client().Get("/readyz");
  ASSERT_TRUE(ready && ready->status == 200) << server.log();
  EXPECT_EQ(json::parse(ready->body)["model"], activeVersion);
  auto client = server.client();
  for (const auto& [id, query] : beforeBackup) {
    auto result = client.Get("/api/v1/interactions/" + std::to_string(id), server.admin());
    ASSERT_TRUE(result && result->status == 200)
        << "interaction " << id << " was acknowledged before the backup";
    EXPECT_EQ(json::parse(result->body)["query"], query);
  }
  auto answer = client.Post("/api/v1/answers", R"({"query":"where is my parcel"})", "application/json");
  ASSERT_TRUE(answer && answer->status == 201);
  EXPECT_EQ(json::parse(answer->body)["model_version"], activeVersion);
}

TEST_F(BackupTest, WhatIsNotABackupOrWouldOverwriteIsRefusedAndNothingIsWritten) {
  const auto a = dir_ / "a";
  ASSERT_EQ(runShopdesk({"--data-dir", a.string(), "demo"}).exitCode, 0);
  const auto file = dir_ / "shop.backup";
  ASSERT_EQ(runShopdesk({"--data-dir", a.string(), "backup", file.string()}).exitCode, 0);

  const auto refused = [](const std::vector<std::string>& args, const std::string& message) {
    const auto result = runShopdesk(args);
    EXPECT_EQ(result.exitCode, 1) << result.output;
    EXPECT_NE(result.output.find(message), std::string::npos) << result.output;
  };
  refused({"--data-dir", a.string(), "backup", file.string()}, "exists already: name a new file");
  refused({"--data-dir", a.string(), "backup", (dir_ / "no/such/folder/x.backup").string()}, "cannot open");
  EXPECT_FALSE(fs::exists(dir_ / "no/such/folder"));
  refused({"--data-dir", a.string(), "restore", file.string()}, "exists already");
  refused({"--db", "postgresql://localhost/shop", "backup", (dir_ / "pg.backup").string()}, "pg_dump");

  std::ofstream(dir_ / "notes.txt") << "not a database\n";
  refused({"--data-dir", (dir_ / "c").string(), "restore", (dir_ / "notes.txt").string()},
          "is not a shopdesk backup");
  refused({"--data-dir", (dir_ / "c").string(), "restore", (dir_ / "missing.backup").string()},
          "no backup file");
  const auto newer = dir_ / "newer.backup";
  fs::copy_file(file, newer);
  shopdesk::store::SqliteConnection(newer.string(), false)
      .execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
               {std::int64_t{999}, std::string("from the future"), std::int64_t{0}});
  refused({"--data-dir", (dir_ / "c").string(), "restore", newer.string()}, "written by a newer shopdesk");
  EXPECT_FALSE(fs::exists(dir_ / "c" / "shopdesk.db"));
}

TEST_F(BackupTest, AServerWithRetentionDeletesOldQuestionsInTheBackground) {
  const auto a = dir_ / "a";
  fs::create_directories(a);
  std::int64_t old = 0;
  {
    auto store = shopdesk::store::openStore(url(a));
    shopdesk::store::Interaction i;
    i.query = "a question from last year";
    i.category = "order_status";
    i.createdAt = shopdesk::common::nowMillis() - 400LL * 86400000;
    old = store->recordInteractions(std::vector{i}).at(0);
  }
  ServerProcess server(url(a), a, {"--bootstrap", "--retain-interactions", "365"});
  auto client = server.client();
  auto answer = client.Post("/api/v1/answers", R"({"query":"where is my parcel"})", "application/json");
  ASSERT_TRUE(answer && answer->status == 201);
  const auto fresh = json::parse(answer->body)["interaction_id"].get<std::int64_t>();
  int status = 0;
  for (int i = 0; i < 100 && status != 404; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto result = client.Get("/api/v1/interactions/" + std::to_string(old), server.admin());
    ASSERT_TRUE(result);
    status = result->status;
  }
  EXPECT_EQ(status, 404) << "the 400-day-old question is still there:\n" << server.log();
  auto kept = client.Get("/api/v1/interactions/" + std::to_string(fresh), server.admin());
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200);
}

TEST_F(BackupTest, AFullDiskStopsABackupOrExportWithItsReasonAndTouchesNothing) {
  const auto a = dir_ / "a";
  ASSERT_EQ(runShopdesk({"--data-dir", a.string(), "demo"}).exitCode, 0);
  const auto statsBefore = runShopdesk({"--data-dir", a.string(), "stats"}).output;
  // The file-size limit stands in for a full disk: past 200 KiB every write fails, as on a full one.
  const auto limited = [&](const std::string& command, const fs::path& file) {
    const auto result = shopdesk::testing::runCommand(
        "trap '' XFSZ; ulimit -f 400; exec " +
        shopdesk::testing::shellQuote(shopdesk::testing::shopdeskBinary()) + " --data-dir " +
        shopdesk::testing::shellQuote(a.string()) + " " + command + " " +
        shopdesk::testing::shellQuote(file.string()) + " 2>&1 </dev/null");
    EXPECT_EQ(result.exitCode, 1) << result.output;
    EXPECT_NE(result.output.find("disk"), std::string::npos) << result.output;  // I/O error, or full
    EXPECT_NE(result.output.find("nothing was written"), std::string::npos) << result.output;
    for (const char* suffix : {"", ".partial", ".partial-wal", ".partial-journal"})
      EXPECT_FALSE(fs::exists(file.string() + suffix)) << file << suffix;
  };
  limited("backup", dir_ / "shop.backup");
  limited("export --store", dir_ / "shop.db");
  EXPECT_EQ(runShopdesk({"--data-dir", a.string(), "stats"}).output, statsBefore);
}
