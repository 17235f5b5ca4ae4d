#include <fmt/format.h>
#include <httplib.h>

#include "common/clock.h"
#include "http/api_error.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "http/routes.h"

namespace shopdesk::http {

namespace {

constexpr std::int64_t kDay = 86400000;
constexpr std::int64_t kMaxMillis = 253402300800000;  // year 10000
constexpr std::size_t kMaxIds = 20000;

nlohmann::json toJson(const service::TopicReport& report) {
  nlohmann::json topics = nlohmann::json::array();
  for (std::size_t i = 0; i < report.topics.size(); ++i) {
    const auto& t = report.topics[i];
    topics.push_back(
        {{"id", i},
         {"size", t.interactionIds.size()},
         {"keywords", t.keywords},
         {"questions", t.questions},
         {"interaction_ids", t.interactionIds},
         {"closest", t.closest ? nlohmann::json{{"category", *t.closest}, {"similarity", t.similarity}}
                               : nlohmann::json(nullptr)},
         {"new", t.isNew}});
  }
  return {{"from", report.from},
          {"to", report.to},
          {"questions", report.questions},
          {"seconds", report.seconds},
          {"topics", topics}};
}

}  // namespace

void addInsightRoutes(Router& router, Context& context) {
  // Grouping thousands of questions takes seconds of CPU: TopicDiscovery runs it below the answers' priority.
  router.add("GET", "/api/v1/insights/topics", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto to = integerParam(request, "to", 0, kMaxMillis).value_or(common::nowMillis());
               const auto from = integerParam(request, "from", 0, kMaxMillis).value_or(to - 30 * kDay);
               if (from >= to) throw ApiError(422, "bad_parameter", "'from' must be before 'to'");
               const auto report = context.topics.discover(from, to);
               sendJson(response, 200, toJson(report).dump());
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
