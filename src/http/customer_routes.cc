#include <httplib.h>

#include <chrono>

#include "http/api_error.h"
#include "http/codecs.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "http/routes.h"

namespace shopdesk::http {

namespace {

constexpr std::size_t kSessionIdLength = 128;
constexpr std::size_t kCommentLength = 2000;
constexpr std::size_t kTokenLength = 128;
constexpr std::size_t kCategoryLength = 100;

service::Answer answer(Context& context, const httplib::Request& request) {
  const auto body = JsonBody::fromRequest(request);
  const auto query = body.text("query", context.config.maxQueryLength);
  const auto session = body.optionalText("session_id", kSessionIdLength).value_or("");
  auto answer = context.assistant.answer(query, session);
  context.metrics.countAnswer(answer.category, answer.handoff);
  return answer;
}

}  // namespace

void addCustomerRoutes(Router& router, Context& context) {
  // The original design's route: {"query"} → {"category"}, now with the whole answer beside it.
  router.add("POST", "/query", Access::kCustomer,
             [&context](const httplib::Request& request, httplib::Response& response) {
               sendJson(response, 200, toJson(answer(context, request)).dump());
             });

  router.add("POST", "/api/v1/answers", Access::kCustomer,
             [&context](const httplib::Request& request, httplib::Response& response) {
               sendJson(response, 201, toJson(answer(context, request)).dump());
             });

  router.add("POST", "/api/v1/interactions/{id}/feedback", Access::kCustomer,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto id = pathId(request);
               const auto body = JsonBody::fromRequest(request);
               store::Feedback feedback;
               feedback.helpful = body.boolean("helpful");
               feedback.correctedCategory = body.optionalText("category", kCategoryLength);
               feedback.comment = body.optionalText("comment", kCommentLength);
               const auto token = body.text("token", kTokenLength);
               context.interactions.addFeedback(id, token, feedback);
               sendJson(response, 201, R"({"status":"stored"})");
             });

  // The asker's pick from a clarifying question: a category it offered, or null for "something else".
  router.add("POST", "/api/v1/interactions/{id}/clarification", Access::kCustomer,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto id = pathId(request);
               const auto body = JsonBody::fromRequest(request);
               const auto token = body.text("token", kTokenLength);
               if (!body.json().contains("category"))
                 throw ApiError(422, "missing_field",
                                "'category' is required: one of the categories offered, or null for "
                                "something else");
               const auto choice = body.optionalText("category", kCategoryLength);
               auto answer = context.assistant.clarify(id, token, choice);
               context.metrics.countAnswer(answer.category, answer.handoff);
               sendJson(response, 200, toJson(answer).dump());
             });

  router.add("GET", "/api/v1/categories", Access::kPublic,
             [&context](const httplib::Request&, httplib::Response& response) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& c : context.catalog.categories()) list.push_back(toJson(c));
               sendJson(response, 200, nlohmann::json{{"items", list}}.dump());
             });
}

}  // namespace shopdesk::http
