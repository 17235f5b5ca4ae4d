#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "cli/commands.h"
#include "http/server.h"
#include "model/model_kinds.h"
#include "model/trainer.h"
#include "service/catalog.h"
#include "service/importer.h"
#include "service/interactions.h"
#include "service/retention.h"
#include "service/secrets.h"
#include "service/training_data.h"
#include "text/entity_extractor.h"

namespace shopdesk::cli {

namespace {

// The admin token of the embedded default: generated once, kept (owner-only) in the data directory.
std::string embeddedAdminToken(const std::filesystem::path& dataDir) {
  const auto path = dataDir / "admin-token";
  if (std::ifstream in(path); in) {
    std::string token;
    if (std::getline(in, token) && !token.empty()) return token;
  }
  const auto token = service::randomToken(24);
  {
    std::ofstream out(path, std::ios::trunc);
    out << token << '\n';
  }
  ::chmod(path.c_str(), 0600);
  fmt::print("generated an admin token (kept in {}): {}\n", path.string(), token);
  return token;
}

}  // namespace

void addServeCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    http::ServerConfig config;
    bool bootstrap = false;
    int retainDays = 0;
    std::vector<std::string> entityPatterns;
    bool redactPii = false;
    std::string bootstrapKind = model::modelKindNames().front();
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("serve", "Serve the HTTP API (and the web app when built)");
  command->add_option("--host", o->config.host, "Address to listen on")->capture_default_str();
  command->add_option("--port", o->config.port, "Port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->add_option("--admin-token", o->config.adminToken, "Bearer token of the agent/admin API")
      ->envname("SHOPDESK_ADMIN_TOKEN");
  command->add_option("--threads", o->config.threads, "Worker threads (one per open connection)")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  command
      ->add_option("--request-timeout", o->config.requestTimeoutSeconds,
                   "Seconds a request may take to arrive whole (line, headers, body) after its first byte; "
                   "slower clients are disconnected")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  command->add_option("--max-body", o->config.maxBodyBytes, "Largest request body in bytes")
      ->capture_default_str();
  command->add_option("--max-query-length", o->config.maxQueryLength, "Longest query in characters")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--web-dir", o->config.webDir, "Built web app to serve at /");
  command
      ->add_option("--rate-limit", o->config.rateLimit,
                   "Customer requests a second per client address (answers, feedback); 0: no limit")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  command->add_option("--rate-burst", o->config.rateBurst, "Customer requests a client may send at once")
      ->check(CLI::Range(1.0, 1e6))
      ->capture_default_str();
  command
      ->add_option("--retain-interactions", o->retainDays,
                   "Delete customers' questions and their feedback once they are DAYS old (checked hourly, "
                   "in the background); 0: keep them")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  command->add_option("--trusted-proxy", o->config.trustedProxies,
                      "Address of a reverse proxy in front of shopdesk (repeatable): the rate limit then "
                      "counts per client address from its X-Forwarded-For header");
  command->add_option(
      "--cors-origin", o->config.corsOrigins,
      "An origin (https://shop.example) whose pages may call the API; repeat for more. None by "
      "default: the web app is served from the same origin");
  command->add_option(
      "--entity-pattern", o->entityPatterns,
      "KIND=REGEX (RE2 syntax, repeatable): the store's own pattern for an entity, e.g. "
      "order_number=\\bW[0-9]{6}\\b; tried before the built-in order numbers, emails, amounts, "
      "dates and sizes");
  command->add_flag(
      "--redact-pii", o->redactPii,
      "Mask email addresses, card numbers and phone numbers in the questions and answers stored "
      "(the model still reads them whole); plain 9-15 digit order numbers are masked as phones");
  command->add_flag(
      "--bootstrap", o->bootstrap,
      "Load the demo data and train a model when the store has none (always on for the embedded default)");
  command
      ->add_option("--bootstrap-kind", o->bootstrapKind,
                   "The kind of that first model (transformer needs a checkpoint: train it with 'train')")
      ->check(CLI::IsMember(model::modelKindNames(true)))
      ->capture_default_str();
  command->callback([o, &global] {
    std::vector<text::EntityPattern> patterns;
    for (const auto& p : o->entityPatterns) {
      const auto equals = p.find('=');
      if (equals == std::string::npos)
        throw std::invalid_argument(fmt::format("--entity-pattern '{}' is not KIND=REGEX", p));
      patterns.push_back({p.substr(0, equals), p.substr(equals + 1)});
    }
    text::EntityExtractor extractor(patterns);  // a bad pattern stops the server before it opens anything
    const bool embedded = global.db.empty();
    auto config = o->config;
    if (config.adminToken.empty()) {
      if (!embedded)
        throw std::invalid_argument("set --admin-token or SHOPDESK_ADMIN_TOKEN for a shared database");
      std::filesystem::create_directories(global.dataDir);
      config.adminToken = embeddedAdminToken(global.dataDir);
    }
    if (config.webDir.empty()) {
      const auto built = std::filesystem::path(SHOPDESK_SOURCE_DIR) / "web/dist/web/browser";
      if (std::filesystem::exists(built / "index.html")) config.webDir = built;
    }
    auto store = global.openStore();
    service::ModelRegistry registry(*store, global.dataDir);
    const auto demoOutOfScope = service::defaultDemoDir() / "out_of_scope.csv";
    const auto outOfScope = std::filesystem::exists(demoOutOfScope) ? service::readOutOfScope(demoOutOfScope)
                                                                    : std::vector<std::string>{};
    if (embedded || o->bootstrap) service::bootstrapStore(*store, registry, outOfScope, o->bootstrapKind);

    http::Metrics metrics;
    service::InteractionWriter writer(*store);
    service::Assistant assistant(*store, writer, std::move(extractor), o->redactPii);
    service::ModelWatcher watcher(*store, registry, assistant, [&metrics](const std::string& version) {
      metrics.setModelVersion(version);
    });
    if (!watcher.refresh())
      spdlog::warn("no model is active yet: answers get 503 until one is trained and activated");
    watcher.start();
    service::Retention retention(*store, o->retainDays);
    if (o->retainDays > 0) retention.start();
    service::TrainingJobs jobs(*store, registry, outOfScope,
                               [&watcher](const std::string& version) { watcher.activate(version); });
    service::Catalog catalog(*store, &assistant);
    service::TrainingData trainingData(*store);
    service::Interactions interactions(*store, config.reviewConfidence);
    // Analyses read thousands of rows, at low priority: on a connection of their own, they never hold up the
    // answers' writes (SQLite's WAL and PostgreSQL both let them read beside the writer). Their jobs' records
    // are small writes, made at normal priority on the server's connection.
    auto analysisStore = global.openStore();
    service::ModelRegistry analysisRegistry(*analysisStore, global.dataDir);
    service::ModelComparer comparer(
        *analysisStore, analysisRegistry,
        [&assistant](const std::string& version) -> std::optional<model::LoadedModel> {
          const auto served = assistant.model();
          if (served && served->version == version) return served->model;
          return std::nullopt;
        });
    service::AdminTokens tokens(*store, config.adminToken);
    service::AuditLog audit(*store);
    service::TopicDiscovery topics(*analysisStore, {.lowConfidence = config.reviewConfidence});
    service::AnalysisJobs analyses(*store, [&assistant] { return assistant.answering() > 0; });
    http::Context context{assistant, catalog, trainingData, interactions, registry, comparer, jobs,
                          watcher,   metrics, tokens,       audit,        topics,   analyses, config};
    http::HttpServer server(context);
    const int port = server.bind();
    onStopSignal([&server](int received) {
      spdlog::info("stopping on signal {}", received);
      server.stop();
    });
    fmt::print("shopdesk is serving {} on http://{}:{}/\n", store->describe(), config.host, port);
    std::fflush(stdout);
    server.run();
    onStopSignal({});  // a second signal while shutting down ends the process at once
  });
}

}  // namespace shopdesk::cli
