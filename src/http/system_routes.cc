#include <httplib.h>

#include <nlohmann/json.hpp>

#include "http/routes.h"

namespace shopdesk::http {

void addSystemRoutes(Router& router, Context& context) {
  router.add("GET", "/healthz", Access::kPublic, [](const httplib::Request&, httplib::Response& response) {
    sendJson(response, 200, R"({"status":"ok"})");
  });

  // Ready means able to answer: the database responds and a model is loaded.
  router.add(
      "GET", "/readyz", Access::kPublic, [&context](const httplib::Request&, httplib::Response& response) {
        const bool database = context.assistant.storeReachable();
        const auto model = context.assistant.model();
        const bool ready = database && model;
        if (!ready) response.set_header("Retry-After", "1");
        sendJson(response, ready ? 200 : 503,
                 nlohmann::json{{"status", ready ? "ready" : "not ready"},
                                {"database", database},
                                {"model", model ? nlohmann::json(model->version) : nlohmann::json(nullptr)}}
                     .dump());
      });

  router.add("GET", "/metrics", Access::kPublic,
             [&context](const httplib::Request&, httplib::Response& response) {
               response.set_content(context.metrics.render(), "text/plain; version=0.0.4");
             });

  router.add("GET", "/api/v1/openapi.json", Access::kPublic,
             [](const httplib::Request&, httplib::Response& response) {
               sendJson(response, 200, openApiDocument());
             });
}

}  // namespace shopdesk::http
