// What the tests of a running server share: a `shopdesk serve` on each database, and JSON over HTTP.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;
using json = nlohmann::json;

inline json parse(const httplib::Result& result) {
  if (!result) throw std::runtime_error("no HTTP response: " + httplib::to_string(result.error()));
  return json::parse(result->body);
}

inline json ask(ServerProcess& server, const std::string& query, const std::string& session = "") {
  json body = {{"query", query}};
  if (!session.empty()) body["session_id"] = session;
  auto result = server.client().Post("/api/v1/answers", body.dump(), "application/json");
  EXPECT_TRUE(result && result->status == 201) << (result ? result->body : "no response");
  return parse(result);
}

// Starts a training job and waits for it to end; returns the finished job.
inline json trainAndWait(ServerProcess& server, const json& request) {
  auto started = server.client().Post("/api/v1/models", server.admin(), request.dump(), "application/json");
  if (!started || started->status != 202) {
    ADD_FAILURE() << "training was not started: " << (started ? started->body : "no response");
    return {};
  }
  const auto id = parse(started)["id"].get<std::int64_t>();
  for (int i = 0; i < 600; ++i) {
    auto job = parse(server.client().Get("/api/v1/training-jobs/" + std::to_string(id), server.admin()));
    if (job["status"] != "running") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "training job did not finish";
  return {};
}

//! Servers on a fresh database of the parameter's kind, each with its own data folder; stopped at the end.
class ServerTest : public ::testing::TestWithParam<Backend> {
 protected:
  ServerTest()
      : database_(GetParam()),
        dataDir_(std::filesystem::temp_directory_path() /
                 ("shopdesk-server-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    std::filesystem::remove_all(dataDir_);
  }
  ~ServerTest() override {
    servers_.clear();
    std::filesystem::remove_all(dataDir_);
  }

  ServerProcess& startServer(const std::string& name = "a",
                             std::vector<std::string> extra = {"--bootstrap"}) {
    servers_.push_back(std::make_unique<ServerProcess>(database_.url(), dataDir_ / name, extra));
    return *servers_.back();
  }

  static inline int counter_ = 0;
  TestDatabase database_;
  std::filesystem::path dataDir_;
  std::vector<std::unique_ptr<ServerProcess>> servers_;
};
