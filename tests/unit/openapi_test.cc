// The OpenAPI document and the routes the server registers must be the same set.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "http/routes.h"
#include "http/server.h"
#include "model/model_kinds.h"
#include "store/store.h"

using namespace shopdesk;

TEST(OpenApi, DocumentsExactlyTheRegisteredRoutes) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-openapi-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto store = store::openStore("sqlite:" + (dir / "db").string());
    service::ModelRegistry registry(*store, dir);
    service::InteractionWriter writer(*store);
    service::Assistant assistant(*store, writer);
    service::ModelWatcher watcher(*store, registry, assistant);
    service::TrainingJobs jobs(*store, registry, {});
    http::Metrics metrics;
    service::Catalog catalog(*store, &assistant);
    service::TrainingData trainingData(*store);
    service::Interactions interactions(*store, 0.5);
    service::ModelComparer comparer(*store, registry);
    service::AdminTokens tokens(*store, "secret");
    service::AuditLog audit(*store);
    service::TopicDiscovery topics(*store, {});
    service::AnalysisJobs analyses(*store);
    http::Context context{assistant, catalog, trainingData, interactions, registry, comparer, jobs,
                          watcher,   metrics, tokens,       audit,        topics,   analyses, {}};
    http::HttpServer server(context);

    std::set<std::string> registered;
    for (const auto& route : server.routes()) {
      std::string method = route.method;
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      registered.insert(method + " " + route.path);
    }
    std::set<std::string> documented;
    const auto document = nlohmann::json::parse(http::openApiDocument());
    for (const auto& [path, operations] : document["paths"].items()) {
      for (const auto& [method, operation] : operations.items()) {
        documented.insert(method + " " + path);
        // Admin routes and only they declare the bearer scheme.
        const bool secured = operation.contains("security") && !operation["security"].empty();
        for (const auto& route : server.routes()) {
          std::string m = route.method;
          std::transform(m.begin(), m.end(), m.begin(), ::tolower);
          if (m == method && route.path == path) {
            EXPECT_EQ(secured, route.access == http::Access::kAdmin) << path;
          }
        }
      }
    }
    EXPECT_EQ(registered, documented);
    // Every admin route that changes something is in the audit log under an action name.
    for (const auto& route : server.routes()) {
      if (route.access == http::Access::kAdmin && route.method != "GET") {
        EXPECT_FALSE(route.action.empty()) << route.method << " " << route.path << " is not audited";
      }
    }
    // The kinds a training request may name are the registry's.
    const auto kinds = document["paths"]["/api/v1/models"]["post"]["requestBody"]["content"]
                               ["application/json"]["schema"]["properties"]["kind"]["enum"];
    EXPECT_EQ(kinds.get<std::vector<std::string>>(), model::modelKindNames());
    EXPECT_EQ(document["openapi"], "3.1.0");
  }
  std::filesystem::remove_all(dir);
}
