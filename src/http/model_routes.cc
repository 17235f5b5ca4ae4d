#include <httplib.h>

#include "http/analysis_reply.h"
#include "http/codecs.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "http/routes.h"

namespace shopdesk::http {

void addModelRoutes(Router& router, Context& context) {
  router.add("GET", "/api/v1/models", Access::kAdmin,
             [&context](const httplib::Request&, httplib::Response& response) {
               nlohmann::json items = nlohmann::json::array();
               const auto served = context.assistant.model();
               for (const auto& v : context.registry.versions()) {
                 auto item = toJson(v, true);
                 item["served"] = served && served->version == v.version;
                 items.push_back(std::move(item));
               }
               sendJson(response, 200, nlohmann::json{{"items", items}}.dump());
             });

  router.add("GET", "/api/v1/models/{version}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               sendJson(response, 200, toJson(context.registry.find(request.matches[1]), true).dump());
             });

  // What activating the version would change on this store's own traffic; 409 when none is active. Replaying
  // thousands of questions through two models runs as an analysis job (sendAnalysis).
  router.add("GET", "/api/v1/models/{version}/comparison", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const std::string version = request.matches[1];
               context.comparer.check(version);
               auto& comparer = context.comparer;
               const auto job = context.analyses.run(
                   "comparison", {{"version", version}},
                   [&comparer, version](const service::AnalysisProgress& progress) {
                     return comparer.compareWithActive(version, 10000, progress).toJson();
                   },
                   analysisWait(request));
               sendAnalysis(response, job);
             });

  // Starts a training job; 202 with the job, 409 while another runs.
  router.addAdmin(
      "POST", "/api/v1/models", "model.train",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto training = trainingRequestFromJson(JsonBody::fromRequest(request, true));
        const auto job = context.jobs.start(training.options, training.activate);
        sendJson(response, 202, toJson(job).dump());
        return Audit{std::to_string(job.id), {{"kind", job.kind}, {"activate", training.activate}}};
      });

  // Activation is checked (the artifact must load) and reaches every server through the store.
  router.addAdmin(
      "POST", "/api/v1/models/{version}/activate", "model.activate",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const std::string version = request.matches[1];
        const auto previous = context.assistant.model();
        context.watcher.activate(version);
        sendJson(response, 200, toJson(context.registry.find(version), false).dump());
        Audit audit{version};
        audit.detail["previous"] = previous ? nlohmann::json(previous->version) : nlohmann::json();
        return audit;
      });

  router.addAdmin(
      "DELETE", "/api/v1/models/{version}", "model.delete",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        context.registry.remove(request.matches[1]);
        response.status = 204;
        return Audit{request.matches[1]};
      });

  router.add("GET", "/api/v1/training-jobs", Access::kAdmin,
             [&context](const httplib::Request&, httplib::Response& response) {
               nlohmann::json items = nlohmann::json::array();
               for (const auto& job : context.jobs.recent(50)) items.push_back(toJson(job));
               sendJson(response, 200, nlohmann::json{{"items", items}}.dump());
             });

  router.add("GET", "/api/v1/training-jobs/{id}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               sendJson(response, 200, toJson(context.jobs.find(pathId(request))).dump());
             });

  router.addAdmin(
      "POST", "/api/v1/training-jobs/{id}/cancel", "training_job.cancel",
      [&context](const httplib::Request& request, httplib::Response& response, const std::string&) {
        const auto id = pathId(request);
        sendJson(response, 202, toJson(context.jobs.cancel(id)).dump());
        return Audit{std::to_string(id)};
      });
}

}  // namespace shopdesk::http
