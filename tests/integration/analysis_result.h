#pragma once

// Asks for an analysis (a topic report, a model comparison) as a patient client does: the route waits up to
// 30 s, and a job still running after that is followed to its end. Analyses run under SCHED_IDLE, so a
// neighbouring test that keeps both cores busy can hold one back for as long as it runs.
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace shopdesk::testing {

struct AnalysisReply {
  int status = 0;       //!< 200 once the job succeeded, whether at once or after polling
  nlohmann::json body;  //!< the result, or the error or job as the server gave it
};

inline AnalysisReply analysisResult(httplib::Client& client, const httplib::Headers& admin,
                                    std::string path) {
  path += (path.find('?') == std::string::npos ? "?" : "&") + std::string("wait=30");
  auto reply = client.Get(path, admin);
  if (!reply) return {0, nlohmann::json("no response")};
  auto body = nlohmann::json::parse(reply->body, nullptr, false);
  if (reply->status != 202) return {reply->status, body};
  const auto job = "/api/v1/analysis-jobs/" + body["job"]["id"].dump();
  for (int i = 0; i < 3000; ++i) {  // 5 minutes
    auto polled = client.Get(job, admin);
    if (!polled || polled->status != 200) return {polled ? polled->status : 0, nlohmann::json("poll failed")};
    body = nlohmann::json::parse(polled->body);
    if (body["status"] == "succeeded") return {200, body["result"]};
    if (body["status"] != "running") return {500, body};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {202, body};
}

}  // namespace shopdesk::testing
