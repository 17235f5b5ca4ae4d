#include <httplib.h>

#include "http/codecs.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "http/routes.h"

namespace shopdesk::http {

void addAccessRoutes(Router& router, Context& context) {
  // Which token the client holds: the web app shows it, and a script can check its token before a change.
  router.addAdmin("GET", "/api/v1/me", "",
                  [](const httplib::Request&, httplib::Response& response, const std::string& actor) {
                    sendJson(response, 200, nlohmann::json{{"name", actor}}.dump());
                    return std::nullopt;
                  });

  router.add("GET", "/api/v1/tokens", Access::kAdmin,
             [&context](const httplib::Request&, httplib::Response& response) {
               nlohmann::json items = nlohmann::json::array();
               for (const auto& token : context.tokens.list()) items.push_back(toJson(token));
               sendJson(response, 200, nlohmann::json{{"items", items}}.dump());
             });

  // The secret is in this response only; the store keeps its hash.
  router.addAdmin("POST", "/api/v1/tokens", "token.create",
                  [&context](const httplib::Request& request, httplib::Response& response,
                             const std::string& actor) -> std::optional<Audit> {
                    const auto body = JsonBody::fromRequest(request);
                    const auto issued = context.tokens.create(body.text("name", 200), actor);
                    auto out = toJson(issued.token);
                    out["token"] = issued.secret;
                    sendJson(response, 201, out.dump());
                    return Audit{issued.token.name};
                  });

  router.addAdmin("DELETE", "/api/v1/tokens/{name}", "token.revoke",
                  [&context](const httplib::Request& request, httplib::Response& response,
                             const std::string&) -> std::optional<Audit> {
                    context.tokens.revoke(request.matches[1]);
                    response.status = 204;
                    return Audit{request.matches[1]};
                  });

  router.add(
      "GET", "/api/v1/audit", Access::kAdmin,
      [&context](const httplib::Request& request, httplib::Response& response) {
        store::AuditFilter filter;
        filter.actor = param(request, "actor");
        filter.action = param(request, "action");
        filter.limit = integerParam(request, "limit", 1, 500).value_or(50);
        filter.offset = integerParam(request, "offset", 0, INT32_MAX).value_or(0);
        const auto page = context.audit.find(filter);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& entry : page.items) items.push_back(toJson(entry));
        sendJson(
            response, 200,
            nlohmann::json{
                {"items", items}, {"total", page.total}, {"limit", filter.limit}, {"offset", filter.offset}}
                .dump());
      });
}

}  // namespace shopdesk::http
