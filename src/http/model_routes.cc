#include <fmt/format.h>
#include <httplib.h>

#include <filesystem>

#include "http/api_error.h"
#include "http/codecs.h"
#include "http/json_body.h"
#include "http/routes.h"

namespace shopdesk::http {

void addModelRoutes(Router& router, Context& context) {
  router.add("GET", "/api/v1/models", Access::kAdmin,
             [&context](const httplib::Request&, httplib::Response& response) {
               nlohmann::json items = nlohmann::json::array();
               const auto served = context.assistant.model();
               for (const auto& v : context.store.modelVersions()) {
                 auto item = toJson(v, true);
                 item["served"] = served && served->version == v.version;
                 items.push_back(std::move(item));
               }
               sendJson(response, 200, nlohmann::json{{"items", items}}.dump());
             });

  router.add("GET", "/api/v1/models/{version}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               for (const auto& v : context.store.modelVersions()) {
                 if (v.version == request.matches[1]) return sendJson(response, 200, toJson(v, true).dump());
               }
               throw store::NotFoundError("no model version '" + std::string(request.matches[1]) + "'");
             });

  // Starts a training job; 202 with the job, 409 while another runs.
  router.add(
      "POST", "/api/v1/models", Access::kAdmin,
      [&context](const httplib::Request& request, httplib::Response& response) {
        const auto body = JsonBody::fromRequest(request, true);
        model::TrainingOptions options;
        options.kind = body.optionalText("kind", 20).value_or("ngram");
        if (options.kind != "ngram" && options.kind != "transformer")
          throw ApiError(422, "bad_value", "'kind' must be ngram or transformer");
        const auto& json = body.json();
        const auto number = [&](const char* key, std::int64_t min, std::int64_t max, auto& target) {
          if (!json.contains(key)) return;
          if (!json[key].is_number_integer() || json[key].get<std::int64_t>() < min ||
              json[key].get<std::int64_t>() > max) {
            throw ApiError(422, "bad_value",
                           fmt::format("'{}' must be an integer from {} to {}", key, min, max));
          }
          target = json[key].get<std::int64_t>();
        };
        number("epochs", 1, 1000, options.ngram.epochs);
        // Every field is checked whatever the kind, and a transformer setting on an n-gram job is an
        // error rather than silently ignored.
        auto& t = options.transformer;
        const auto checkpoint = body.optionalText("checkpoint", 4096);
        number("max_length", 2, 4096, t.maxLength);
        number("batch_size", 1, 1024, t.batchSize);
        t.freezeEncoder = body.optionalBoolean("freeze_encoder").value_or(false);
        if (json.contains("learning_rate")) {
          if (!json["learning_rate"].is_number() || !(json["learning_rate"].get<double>() > 0) ||
              json["learning_rate"].get<double>() > 1)
            throw ApiError(422, "bad_value", "'learning_rate' must be a number in (0, 1]");
          t.learningRate = json["learning_rate"].get<double>();
        }
        if (options.kind == "ngram") {
          for (const char* key :
               {"checkpoint", "max_length", "batch_size", "freeze_encoder", "learning_rate"})
            if (json.contains(key))
              throw ApiError(422, "bad_value", fmt::format("'{}' applies to kind transformer only", key));
        } else {
          t.checkpoint = checkpoint.value_or("");
          if (t.checkpoint.empty() || !std::filesystem::is_directory(t.checkpoint))
            throw ApiError(422, "bad_value",
                           "'checkpoint' must name a checkpoint folder on the server for kind transformer");
          t.epochs = json.contains("epochs") ? options.ngram.epochs : t.epochs;
        }
        std::int64_t seed = static_cast<std::int64_t>(options.seed);
        number("seed", 0, INT64_MAX, seed);
        options.seed = static_cast<std::uint64_t>(seed);
        const auto job = context.jobs.start(options, body.optionalBoolean("activate").value_or(false));
        sendJson(response, 202, toJson(job).dump());
      });

  // Activation is checked (the artifact must load) and reaches every server through the store.
  router.add("POST", "/api/v1/models/{version}/activate", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const std::string version = request.matches[1];
               context.watcher.activate(version);
               for (const auto& v : context.store.modelVersions()) {
                 if (v.version == version) return sendJson(response, 200, toJson(v, false).dump());
               }
             });

  router.add("DELETE", "/api/v1/models/{version}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               context.registry.remove(request.matches[1]);
               response.status = 204;
             });

  router.add("GET", "/api/v1/training-jobs", Access::kAdmin,
             [&context](const httplib::Request&, httplib::Response& response) {
               nlohmann::json items = nlohmann::json::array();
               for (const auto& job : context.store.trainingJobs(50)) items.push_back(toJson(job));
               sendJson(response, 200, nlohmann::json{{"items", items}}.dump());
             });

  router.add("GET", "/api/v1/training-jobs/{id}", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto id = parseInteger("id", request.matches[1], 1, INT64_MAX);
               const auto job = context.store.trainingJob(id);
               if (!job) throw store::NotFoundError("no training job " + std::to_string(id));
               sendJson(response, 200, toJson(*job).dump());
             });

  router.add("POST", "/api/v1/training-jobs/{id}/cancel", Access::kAdmin,
             [&context](const httplib::Request& request, httplib::Response& response) {
               const auto id = parseInteger("id", request.matches[1], 1, INT64_MAX);
               context.jobs.cancel(id);
               sendJson(response, 202, toJson(*context.store.trainingJob(id)).dump());
             });
}

}  // namespace shopdesk::http
