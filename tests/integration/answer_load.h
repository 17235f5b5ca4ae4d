#pragma once

// Customers asking a server questions from several threads until stopped, remembering every answer the server
// acknowledged (201): what a test then expects to find stored, whatever happened to the server meanwhile.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"

namespace shopdesk::testing {

class AnswerLoad {
 public:
  AnswerLoad(const ServerProcess& server, int threads) {
    for (int t = 0; t < threads; ++t) {
      clients_.emplace_back([this, &server, t] {
        auto client = server.client();
        for (int i = 0; !stopped_; ++i) {
          const auto query = "where is parcel " + std::to_string(t) + "-" + std::to_string(i);
          auto result =
              client.Post("/api/v1/answers", nlohmann::json{{"query", query}}.dump(), "application/json");
          if (!result || result->status != 201) continue;  // a server killed or stopped: try again, or stop
          std::lock_guard lock(mutex_);
          acknowledged_[nlohmann::json::parse(result->body)["interaction_id"].get<std::int64_t>()] = query;
        }
      });
    }
  }
  ~AnswerLoad() { stop(); }

  //! Waits until `count` answers were acknowledged, or `timeout` passed.
  void waitFor(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (acknowledged().size() < count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  //! Interaction id → the query it answered, for every answer acknowledged so far.
  std::map<std::int64_t, std::string> acknowledged() const {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  //! Stops asking and waits for the threads.
  void stop() {
    stopped_ = true;
    for (auto& c : clients_)
      if (c.joinable()) c.join();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::int64_t, std::string> acknowledged_;
  std::atomic<bool> stopped_ = false;
  std::vector<std::thread> clients_;
};

}  // namespace shopdesk::testing
