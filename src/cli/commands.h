#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.h"

namespace shopdesk::cli {

//! Options every command shares; flags win over environment variables, which win over defaults.
struct GlobalOptions {
  std::string db;  //!< empty: sqlite:<dataDir>/shopdesk.db
  std::string dataDir = "shopdesk-data";

  //! The configured store's URL, creating the data directory for the embedded default.
  std::string url() const;
  //! Opens the configured store, creating the data directory for the embedded default.
  std::unique_ptr<store::Store> openStore() const;
  //! The SQLite database file of the configured store; throws std::invalid_argument for PostgreSQL, whose
  //! backups are pg_dump's (README: Backup and restore).
  std::filesystem::path sqlitePath() const;
};

//! What SIGINT/SIGTERM do from now on (the default: exit at once with 128 + signal). Signals are blocked in
//! every thread from the start of main and taken by one thread with sigwait, so handlers never run inside a
//! signal handler and no thread libtorch starts can swallow them.
void onStopSignal(std::function<void(int)> handler);

//! Records a change a command made in the audit log, under the actor "cli".
void recordCommand(store::Store& store, const std::string& action, const std::string& target,
                   const nlohmann::json& detail = nlohmann::json::object());

void addImportCommand(CLI::App& app, const GlobalOptions& global);
void addExportCommand(CLI::App& app, const GlobalOptions& global);
void addDemoCommand(CLI::App& app, const GlobalOptions& global);
void addCategoriesCommand(CLI::App& app, const GlobalOptions& global);
void addStatsCommand(CLI::App& app, const GlobalOptions& global);
void addBackupCommands(CLI::App& app, const GlobalOptions& global);
void addEraseCommand(CLI::App& app, const GlobalOptions& global);
void addTrainCommand(CLI::App& app, const GlobalOptions& global);
void addEvalCommand(CLI::App& app, const GlobalOptions& global);
void addClassifyCommand(CLI::App& app, const GlobalOptions& global);
void addModelsCommand(CLI::App& app, const GlobalOptions& global);
void addServeCommand(CLI::App& app, const GlobalOptions& global);
void addTokensCommand(CLI::App& app, const GlobalOptions& global);
void addAuditCommand(CLI::App& app, const GlobalOptions& global);
void addTopicsCommand(CLI::App& app, const GlobalOptions& global);
void addTokenizeCommand(CLI::App& app);
void addCheckpointCommand(CLI::App& app);

}  // namespace shopdesk::cli
