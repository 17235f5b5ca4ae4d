// A PostgreSQL outage under load: the fixture's server is stopped while clients keep asking a real
// `shopdesk serve`, then started again. Answers must turn into 503s with Retry-After within a second, /readyz
// must say not ready, and shopdesk must recover by itself within 5 seconds of the database's return, keeping
// every interaction it acknowledged. Runs alone (RUN_SERIAL): it stops the server the other tests share.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "server_process.h"
#include "small_demo.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

void fixture(const std::string& action) {
  const char* state = std::getenv("SHOPDESK_TEST_POSTGRES_STATE");
  ASSERT_NE(state, nullptr) << "run through ctest (SHOPDESK_TEST_POSTGRES_STATE)";
  const auto command = std::string(SHOPDESK_POSTGRES_FIXTURE) + " " + action + " " + state;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

// The fixture server's postmaster: SIGINT to it is PostgreSQL's fast shutdown, which ends every session at
// once, so the outage begins at a moment the test knows (pg_ctl would add its own start-up time).
pid_t postmaster() {
  const char* state = std::getenv("SHOPDESK_TEST_POSTGRES_STATE");
  if (!state) throw std::runtime_error("run through ctest (SHOPDESK_TEST_POSTGRES_STATE)");
  std::string dir;
  std::ifstream(std::filesystem::path(state) / "pgdata") >> dir;
  pid_t pid = 0;
  std::ifstream(std::filesystem::path(dir) / "postmaster.pid") >> pid;
  if (pid <= 0) throw std::runtime_error("no postmaster.pid in " + dir);
  return pid;
}

// Polls `check` every 20 ms for up to `limit`; returns how long it took, or nullopt.
template <typename Check>
std::optional<double> secondsUntil(Check check, std::chrono::seconds limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (check()) return std::chrono::duration<double>(Clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

}  // namespace

TEST(Outage, PostgresStoppedUnderLoadGives503ThenRecoversWithoutARestart) {
  TestDatabase database(Backend::kPostgres);
  const auto dir = std::filesystem::temp_directory_path() / ("shopdesk-outage-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ServerProcess server(database.url(), dir, {"--bootstrap"});

  std::mutex mutex;
  std::set<std::int64_t> acknowledged;
  std::vector<std::string> unexpected;  // anything but 201, or 503 with Retry-After
  std::atomic<int> lastStatus = 0;
  std::atomic<Clock::rep> stoppedAt = 0, firstRefusal = 0;  // steady-clock ticks; 0: not yet
  std::atomic<bool> done = false;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto client = server.client();
      client.set_read_timeout(5);
      for (int i = 0; !done; ++i) {
        auto r = client.Post("/api/v1/answers",
                             json{{"query", "parcel " + std::to_string(t) + "-" + std::to_string(i)}}.dump(),
                             "application/json");
        {
          std::lock_guard lock(mutex);
          if (!r) {
            unexpected.push_back("no response: " + httplib::to_string(r.error()));
          } else if (r->status == 201) {
            acknowledged.insert(json::parse(r->body)["interaction_id"].get<std::int64_t>());
          } else if (r->status != 503 || r->get_header_value("Retry-After").empty()) {
            unexpected.push_back(std::to_string(r->status) + " " + r->body);
          }
          if (r) lastStatus = r->status;
          Clock::rep none = 0;
          if (r && r->status == 503 && stoppedAt != 0)
            firstRefusal.compare_exchange_strong(none, Clock::now().time_since_epoch().count());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  auto ready = [&] { return server.client().Get("/readyz")->status; };
  // /readyz is polled from the moment the stop begins, beside the clients.
  std::atomic<Clock::rep> firstNotReady = 0;
  clients.emplace_back([&] {
    while (!done && firstNotReady == 0) {
      if (stoppedAt != 0 && ready() == 503) firstNotReady = Clock::now().time_since_epoch().count();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(lastStatus, 201);  // no ASSERT while the clients run: their threads must be joined
  EXPECT_EQ(ready(), 200);

  // Both delays count from the moment the stop begins.
  const auto stopping = Clock::now();
  stoppedAt = stopping.time_since_epoch().count();
  const pid_t postgres = postmaster();
  EXPECT_EQ(::kill(postgres, SIGINT), 0);
  EXPECT_TRUE(secondsUntil([&] { return ::kill(postgres, 0) != 0; }, std::chrono::seconds(30)))
      << "PostgreSQL did not stop";
  secondsUntil([&] { return firstRefusal != 0 && firstNotReady != 0; }, std::chrono::seconds(10));
  const auto sinceStop = [&](Clock::rep at) -> std::optional<double> {
    if (at == 0) return std::nullopt;
    return std::chrono::duration<double>(Clock::duration(at) - stopping.time_since_epoch()).count();
  };
  const auto failing = sinceStop(firstRefusal);
  const auto notReady = sinceStop(firstNotReady);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  fixture("resume");
  const auto recovered =
      secondsUntil([&] { return lastStatus == 201 && ready() == 200; }, std::chrono::seconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  done = true;
  for (auto& c : clients) c.join();

  ASSERT_TRUE(failing) << "answers never failed while PostgreSQL was down";
  EXPECT_LE(*failing, 1.0) << "answers took " << *failing << " s to fail";
  ASSERT_TRUE(notReady) << "/readyz never said not ready";
  EXPECT_LE(*notReady, 1.0) << "/readyz took " << *notReady << " s to say not ready";
  ASSERT_TRUE(recovered) << "no recovery within 20 s:\n" << server.log();
  EXPECT_LE(*recovered, 5.0) << "recovery took " << *recovered << " s";
  std::cout << "answers failed " << *failing << " s and /readyz " << *notReady
            << " s after the stop began; recovered " << *recovered << " s after PostgreSQL's return; "
            << acknowledged.size() << " answers acknowledged\n";
  for (const auto& u : unexpected) ADD_FAILURE() << u;

  // Everything acknowledged before, during and after the outage is stored.
  std::set<std::int64_t> stored;
  for (int offset = 0;; offset += 500) {
    auto page = json::parse(
        server.client()
            .Get("/api/v1/interactions?limit=500&offset=" + std::to_string(offset), server.admin())
            ->body);
    for (const auto& item : page["items"]) stored.insert(item["id"].get<std::int64_t>());
    if (page["items"].size() < 500) break;
  }
  for (const auto id : acknowledged)
    EXPECT_TRUE(stored.contains(id)) << "acknowledged " << id << " is missing";
  server.stop();  // while its log is still there to show
  std::filesystem::remove_all(dir);
}
