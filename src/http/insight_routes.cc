#include <fmt/format.h>
#include <httplib.h>

#include "common/clock.h"
#include "http/analysis_reply.h"
#include "http/api_error.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "http/routes.h"

namespace shopdesk::http {

namespace {

constexpr std::int64_t kDay = 86400000;
constexpr std::int64_t kMaxMillis = 253402300800000;  // year 10000
constexpr std::size_t kMaxIds = 20000;

}  // namespace

void addInsightRoutes(Router& router, Context& context) {
  // Grouping thousands of questions takes seconds of CPU: it runs as an analysis job (sendAnalysis), and
  // TopicDiscovery groups below the answers' priority.
  router.add("GET", "/api/v1/insights/topics", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto givenTo = integerParam(request, "to", 0, kMaxMillis);
               const auto givenFrom = integerParam(request, "from", 0, kMaxMillis);
               const auto to = givenTo.value_or(common::nowMillis());
               const auto from = givenFrom.value_or(to - 30 * kDay);
               if (from >= to) throw ApiError(422, "bad_parameter", "'from' must be before 'to'");
               // The job is known by the period as asked: "until now" asked again while it runs joins it.
               const auto asked = [](const std::optional<std::int64_t>& v) {
                 return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
               };
               auto& topics = context.topics;
               const auto job = context.analyses.run(
                   "topics", {{"from", asked(givenFrom)}, {"to", asked(givenTo)}},
                   [&topics, from, to](const service::AnalysisProgress& progress) {
                     return topics.discover(from, to, progress).toJson();
                   },
                   analysisWait(request));
               sendAnalysis(response, job);
             });

  router.add("GET", "/api/v1/analysis-jobs/{id}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               sendJson(response, 200, toJson(context.analyses.find(pathId(request))).dump());
             });

  router.addAdmin(
      "POST", "/api/v1/insights/topics/assign", "topic.assign",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto body = JsonBody::fromRequest(request);
        const auto category = body.text("category", 100);
        const auto& ids =
            body.json().contains("interaction_ids") ? body.json()["interaction_ids"] : nlohmann::json();
        if (!ids.is_array() || ids.empty() || ids.size() > kMaxIds) {
          throw ApiError(
              422, "bad_value",
              fmt::format("'interaction_ids' must be an array of 1 to {} interaction ids", kMaxIds));
        }
        std::vector<std::int64_t> list;
        for (const auto& id : ids) {
          if (!id.is_number_integer() || id.get<std::int64_t>() < 1)
            throw ApiError(422, "bad_value",
                           "'interaction_ids' holds something that is not an interaction id");
          list.push_back(id.get<std::int64_t>());
        }
        const auto [assigned, skipped] = context.topics.assign(category, list);
        sendJson(response, 200, nlohmann::json{{"assigned", assigned}, {"skipped", skipped}}.dump());
        if (assigned == 0) return std::optional<Audit>();  // nothing changed: the log records changes
        return std::optional<Audit>(Audit{category, {{"assigned", assigned}, {"skipped", skipped}}});
      });
}

}  // namespace shopdesk::http
