#include <httplib.h>

#include <chrono>
#include <set>

#include "http/api_error.h"
#include "http/codecs.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "http/routes.h"
#include "service/example_file.h"

namespace shopdesk::http {

namespace {

constexpr std::int64_t kMaxPage = 500;
constexpr std::int64_t kMaxMillis = 253402300800000;  // year 10000

template <typename T>
void sendPage(httplib::Response& response, const store::Page<T>& page, std::int64_t limit,
              std::int64_t offset) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(toJson(item));
  sendJson(
      response, 200,
      nlohmann::json{{"items", items}, {"total", page.total}, {"limit", limit}, {"offset", offset}}.dump());
}

store::InteractionFilter interactionFilter(const httplib::Request& request) {
  store::InteractionFilter filter;
  filter.category = param(request, "category");
  if (auto handoff = param(request, "handoff")) {
    if (*handoff != "true" && *handoff != "false")
      throw ApiError(422, "bad_parameter", "'handoff' must be true or false");
    filter.handoff = *handoff == "true";
  }
  if (auto feedback = param(request, "feedback")) {
    static const std::set<std::string> kinds = {"helpful", "unhelpful", "corrected", "any", "none"};
    if (!kinds.contains(*feedback)) {
      throw ApiError(422, "bad_parameter", "'feedback' must be helpful, unhelpful, corrected, any or none");
    }
    filter.feedback = feedback;
  }
  filter.from = integerParam(request, "from", 0, kMaxMillis);
  filter.to = integerParam(request, "to", 0, kMaxMillis);
  filter.limit = integerParam(request, "limit", 1, kMaxPage).value_or(50);
  filter.offset = integerParam(request, "offset", 0, INT32_MAX).value_or(0);
  return filter;
}

// Which parts of a category an edit changed; the texts themselves are the category's, readable there.
nlohmann::json categoryChanges(const std::optional<store::Category>& before, const store::Category& after) {
  if (!before) return {{"created", true}};
  nlohmann::json changed = nlohmann::json::array();
  if (before->description != after.description) changed.push_back("description");
  if (before->response != after.response) changed.push_back("response");
  if (before->smallTalk != after.smallTalk) changed.push_back("small_talk");
  const auto& a = before->recommendations;
  const auto& b = after.recommendations;
  const bool same =
      a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
        return x.title == y.title && x.body == y.body && x.actionLabel == y.actionLabel &&
               x.actionUrl == y.actionUrl;
      });
  if (!same) changed.push_back("recommendations");
  return {{"changed", changed}};
}

}  // namespace

void addAgentRoutes(Router& router, Context& context) {
  // The interaction list and the review queue take the same filters.
  using List = store::Page<store::Interaction> (service::Interactions::*)(const store::InteractionFilter&);
  for (const auto& [path, list] :
       {std::pair<const char*, List>{"/api/v1/interactions", &service::Interactions::find},
        std::pair<const char*, List>{"/api/v1/review", &service::Interactions::reviewQueue}}) {
    router.add("GET", path, Access::kAdmin,
               [&context, list](const httplib::Request& request, httplib::Response& response) {
                 const auto filter = interactionFilter(request);
                 sendPage(response, (context.interactions.*list)(filter), filter.limit, filter.offset);
               });
  }

  router.add("GET", "/api/v1/interactions/{id}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               sendJson(response, 200, toJson(context.interactions.get(pathId(request))).dump());
             });

  router.addAdmin(
      "POST", "/api/v1/review/{id}", "review",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto id = pathId(request);
        const auto body = JsonBody::fromRequest(request);
        const auto action = body.text("action", 20);
        std::optional<std::string> category;
        store::ReviewAction kind;
        if (action == "resolve") {
          kind = store::ReviewAction::kResolve;
        } else if (action == "ignore") {
          kind = store::ReviewAction::kIgnore;
        } else if (action == "relabel") {
          kind = store::ReviewAction::kRelabel;
          category = body.text("category", 100);
        } else {
          throw ApiError(422, "bad_value", "'action' must be resolve, relabel or ignore");
        }
        const auto reviewed = context.interactions.review(id, kind, category);
        sendJson(response, 200, toJson(reviewed).dump());
        Audit audit{std::to_string(id), {{"model_category", reviewed.category}}, "review." + action};
        if (category) audit.detail["category"] = *category;
        return audit;
      });

  router.addAdmin(
      "PUT", "/api/v1/categories/{name}", "category.save",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto body = JsonBody::fromRequest(request);
        store::Category category;
        category.name = request.matches[1];
        category.description = body.optionalText("description", 500).value_or("");
        category.response = body.optionalText("response", 5000).value_or("");
        category.smallTalk = body.optionalBoolean("small_talk").value_or(false);
        if (body.json().contains("recommendations")) {
          category.recommendations = recommendationsFromJson(body.json()["recommendations"]);
        }
        const auto before = context.catalog.find(category.name);
        context.catalog.save({category});
        sendJson(response, 200, toJson(context.catalog.category(category.name)).dump());
        return Audit{category.name, categoryChanges(before, category)};
      });

  router.addAdmin(
      "DELETE", "/api/v1/categories/{name}", "category.delete",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto reassignTo = param(request, "reassign_to");
        context.catalog.remove(request.matches[1], reassignTo);
        response.status = 204;
        Audit audit{request.matches[1]};
        if (reassignTo) audit.detail["reassign_to"] = *reassignTo;
        return audit;
      });

  router.add("GET", "/api/v1/training-examples", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               store::ExampleFilter filter;
               filter.category = param(request, "category");
               filter.search = param(request, "search");
               filter.limit = integerParam(request, "limit", 1, kMaxPage).value_or(50);
               filter.offset = integerParam(request, "offset", 0, INT32_MAX).value_or(0);
               sendPage(response, context.trainingData.find(filter), filter.limit, filter.offset);
             });

  router.addAdmin(
      "POST", "/api/v1/training-examples", "example.add",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto body = JsonBody::fromRequest(request);
        const auto label = body.text("label", 100);
        const auto summary =
            context.trainingData.add({body.text("text", context.config.maxQueryLength), label}, "agent");
        sendJson(response, summary.inserted ? 201 : 200,
                 nlohmann::json{{"stored", summary.inserted == 1},
                                {"created_categories", summary.createdCategories}}
                     .dump());
        return Audit{label,
                     {{"stored", summary.inserted == 1}, {"created_categories", summary.createdCategories}}};
      });

  router.addAdmin(
      "DELETE", "/api/v1/training-examples/{id}", "example.delete",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto id = pathId(request);
        context.trainingData.remove(id);
        response.status = 204;
        return Audit{std::to_string(id)};
      });

  // The body is the file itself: CSV with a header row (text/csv) or JSON Lines (application/x-ndjson).
  router.addAdmin(
      "POST", "/api/v1/training-examples/import", "examples.import",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        service::ExampleFileOptions options;
        options.maxTextLength = context.config.maxQueryLength;
        const auto type = request.get_header_value("Content-Type");
        const bool jsonl = type.starts_with("application/x-ndjson") || type.starts_with("application/jsonl");
        if (!jsonl && !type.starts_with("text/csv")) {
          throw ApiError(415, "unsupported_media_type",
                         "send the file as 'Content-Type: text/csv' or 'application/x-ndjson'");
        }
        const auto rows = jsonl ? service::parseJsonlExamples(request.body, "upload", options)
                                : service::parseCsvExamples(request.body, "upload", options);
        const auto summary = context.trainingData.addAll(rows, "import");
        const nlohmann::json counts{{"received", summary.received},
                                    {"inserted", summary.inserted},
                                    {"duplicates", summary.duplicates},
                                    {"created_categories", summary.createdCategories}};
        sendJson(response, 200, counts.dump());
        return Audit{jsonl ? "jsonl" : "csv", counts};
      });

  router.add("GET", "/api/v1/stats", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto days = integerParam(request, "days", 1, 3660).value_or(30);
               auto stats = toJson(context.interactions.stats(days));
               stats["days"] = days;
               sendJson(response, 200, stats.dump());
             });

  // A customer's right to erasure: their questions found by the email or order number they wrote, or by id.
  // The audit entry says how the customer was found and how much was erased, never the email or number
  // itself.
  router.addAdmin(
      "DELETE", "/api/v1/customers/data", "customer_data.erase",
      [&context](const httplib::Request& request, httplib::Response& response,
                 const std::string&) -> std::optional<Audit> {
        service::ErasureRequest erasure;
        erasure.email = param(request, "email");
        erasure.orderNumber = param(request, "order_number");
        if (const auto ids = param(request, "ids")) {
          for (std::size_t begin = 0; begin <= ids->size();) {
            const auto end = std::min(ids->find(',', begin), ids->size());
            erasure.ids.push_back(parseInteger("ids", ids->substr(begin, end - begin), 1, INT64_MAX));
            begin = end + 1;
          }
        }
        for (const auto* text : {&erasure.email, &erasure.orderNumber}) {
          if (*text && ((*text)->empty() || (*text)->size() > 320))
            throw ApiError(422, "bad_value", "an email or order number is 1 to 320 characters");
        }
        const auto erased = context.interactions.erase(erasure);
        sendJson(response, 200, nlohmann::json{{"erased", erased}}.dump());
        if (erased == 0) return std::optional<Audit>();  // nothing changed: the log records changes
        Audit audit{"", {{"erased", erased}}};
        audit.detail["by"] = erasure.email ? "email" : erasure.orderNumber ? "order_number" : "ids";
        if (!erasure.ids.empty()) audit.detail["ids"] = erasure.ids;
        return audit;
      });
}

}  // namespace shopdesk::http
