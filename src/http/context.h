#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "http/metrics.h"
#include "service/admin_tokens.h"
#include "service/analysis_jobs.h"
#include "service/assistant.h"
#include "service/audit_log.h"
#include "service/catalog.h"
#include "service/interactions.h"
#include "service/model_comparison.h"
#include "service/model_registry.h"
#include "service/model_watcher.h"
#include "service/topic_discovery.h"
#include "service/training_data.h"
#include "service/training_jobs.h"

namespace shopdesk::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string adminToken;                 //!< bearer token of the agent/admin API
  std::size_t maxBodyBytes = 256 * 1024;  //!< larger bodies get 413
  std::size_t maxQueryLength = 1000;      //!< in characters; longer queries get 413
  int threads = 256;                      //!< one per open connection
  double requestTimeoutSeconds = 10;      //!< a request must arrive whole this soon after its first byte
  double reviewConfidence = 0.5;          //!< answers below it join the review queue
  std::filesystem::path webDir;           //!< the built web app; empty: none
  double rateLimit = 10;                  //!< customer requests a second per client address; 0: no limit
  double rateBurst = 30;                  //!< requests a client may send at once before the rate applies
  std::vector<std::string> corsOrigins;   //!< origins allowed to call the API from a browser; none by default
  std::vector<std::string> trustedProxies;  //!< reverse proxies whose X-Forwarded-For names the client
};

//! What the route handlers work with: services only, so every rule of the data lives below the routes.
struct Context {
  service::Assistant& assistant;
  service::Catalog& catalog;
  service::TrainingData& trainingData;
  service::Interactions& interactions;
  service::ModelRegistry& registry;
  service::ModelComparer& comparer;
  service::TrainingJobs& jobs;
  service::ModelWatcher& watcher;
  Metrics& metrics;
  service::AdminTokens& tokens;
  service::AuditLog& audit;
  service::TopicDiscovery& topics;
  service::AnalysisJobs& analyses;
  ServerConfig config;
};

}  // namespace shopdesk::http
