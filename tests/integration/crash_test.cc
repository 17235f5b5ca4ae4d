// Crash safety: `kill -9` of a real `shopdesk serve` in the middle of a burst of answers, or half-way through
// a training job, then a restart on the same database (SQLite, and PostgreSQL with fsync on).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "answer_load.h"
#include "run_shopdesk.h"
#include "server_process.h"
#include "small_demo.h"
#include "test_database.h"

using shopdesk::testing::AnswerLoad;
using shopdesk::testing::Backend;
using shopdesk::testing::runShopdesk;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;
using json = nlohmann::json;

namespace {

json get(ServerProcess& server, const std::string& path) {
  auto result = server.client().Get(path, server.admin());
  if (!result || result->status != 200)
    throw std::runtime_error("GET " + path + " failed: " + (result ? result->body : "no response"));
  return json::parse(result->body);
}

class CrashTest : public ::testing::TestWithParam<Backend> {
 protected:
  CrashTest()
      : database_(GetParam()),
        dataDir_(std::filesystem::temp_directory_path() / ("shopdesk-crash-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dataDir_);
  }
  ~CrashTest() override { std::filesystem::remove_all(dataDir_); }

  TestDatabase database_;
  std::filesystem::path dataDir_;
};

}  // namespace

TEST_P(CrashTest, KillNineDuringABurstLosesNoAcknowledgedInteraction) {
  ServerProcess server(database_.url(), dataDir_, {"--bootstrap"});
  AnswerLoad load(server, 8);
  load.waitFor(300, std::chrono::seconds(6));
  server.signal(SIGKILL);  // while the clients are still sending
  load.stop();
  const auto acknowledged = load.acknowledged();  // interaction id → the query that got it
  ASSERT_GE(acknowledged.size(), 300u);

  server.start();
  std::map<std::int64_t, json> stored;
  std::set<std::string> queries;
  for (int offset = 0;; offset += 500) {
    const auto page = get(server, "/api/v1/interactions?limit=500&offset=" + std::to_string(offset));
    for (const auto& item : page["items"]) {
      stored[item["id"].get<std::int64_t>()] = item;
      EXPECT_TRUE(queries.insert(item["query"].get<std::string>()).second)
          << "stored twice: " << item["query"];
    }
    if (page["items"].size() < 500) break;
  }
  for (const auto& [id, query] : acknowledged) {
    auto it = stored.find(id);
    ASSERT_NE(it, stored.end()) << "acknowledged interaction " << id << " was lost";
    EXPECT_EQ(it->second["query"], query);
  }
  // Whole rows only: every stored interaction, acknowledged or not, has its answer.
  for (const auto& [id, item] : stored) {
    EXPECT_FALSE(item["category"].get<std::string>().empty()) << id;
    EXPECT_FALSE(item["response"].get<std::string>().empty()) << id;
    EXPECT_FALSE(item["model_version"].get<std::string>().empty()) << id;
  }
  // The server that restarted keeps answering and numbering after the old rows.
  auto after =
      server.client().Post("/api/v1/answers", R"({"query": "I was charged twice"})", "application/json");
  ASSERT_TRUE(after && after->status == 201);
  EXPECT_GT(json::parse(after->body)["interaction_id"].get<std::int64_t>(), stored.rbegin()->first);
}

TEST_P(CrashTest, KillNineDuringTrainingLeavesNoVersionAndTheActiveModelServing) {
  ServerProcess server(database_.url(), dataDir_, {"--bootstrap"});
  const auto versionsBefore = get(server, "/api/v1/models")["items"];
  std::string active;
  for (const auto& v : versionsBefore)
    if (v["active"]) active = v["version"];
  ASSERT_FALSE(active.empty());

  // A small transformer: each epoch takes about a second and early stopping waits four epochs, so the job is
  // surely still running when it is killed after its first epoch.
  const auto checkpoint = dataDir_ / "checkpoint";
  const auto init = runShopdesk({"checkpoint", "init", checkpoint.string(), "--arch", "bert", "--hidden",
                                 "64", "--heads", "4", "--intermediate", "128", "--vocab-size", "800"});
  ASSERT_EQ(init.exitCode, 0) << init.output;
  const json request = {
      {"kind", "transformer"}, {"checkpoint", checkpoint.string()}, {"epochs", 50}, {"activate", true}};
  auto started = server.client().Post("/api/v1/models", server.admin(), request.dump(), "application/json");
  ASSERT_TRUE(started && started->status == 202) << (started ? started->body : "");
  const auto job =
      "/api/v1/training-jobs/" + std::to_string(json::parse(started->body)["id"].get<std::int64_t>());
  const auto epoch = [&] {
    const auto progress = get(server, job)["progress"];
    return progress.is_object() ? progress.value("epoch", 0) : 0;
  };
  for (int i = 0; i < 600 && epoch() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(get(server, job)["status"], "running");
  server.signal(SIGKILL);

  server.start();
  EXPECT_EQ(get(server, "/api/v1/models")["items"], versionsBefore);
  EXPECT_EQ(get(server, job)["status"], "failed");
  auto answer =
      server.client().Post("/api/v1/answers", R"({"query": "where is my parcel?"})", "application/json");
  ASSERT_TRUE(answer && answer->status == 201);
  EXPECT_EQ(json::parse(answer->body)["model_version"], active);
  // Nothing of the killed job is left on disk as a model either.
  std::set<std::string> versions;
  for (const auto& v : versionsBefore) versions.insert(v["version"]);
  for (const auto& entry : std::filesystem::directory_iterator(dataDir_ / "models"))
    EXPECT_TRUE(versions.contains(entry.path().filename().string())) << entry.path();
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);

// What the cases above prove holds for PostgreSQL's durable settings, not only for the fast ones the other
// tests use (README: what an acknowledged answer survives).
TEST(CrashTestDatabase, PostgresRunsWithFsyncAndSynchronousCommitOn) {
  shopdesk::store::PostgresConnection server(shopdesk::testing::postgresServerUrl());
  EXPECT_EQ(server.query("SHOW fsync", {}).at(0).at(0), "on");
  EXPECT_EQ(server.query("SHOW synchronous_commit", {}).at(0).at(0), "on");
}
