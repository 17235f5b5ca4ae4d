#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "model/safetensors.h"

namespace shopdesk::cli {

std::unique_ptr<store::Store> GlobalOptions::openStore() const {
  if (!db.empty()) return store::openStore(db);
  std::filesystem::create_directories(dataDir);
  return store::openStore("sqlite:" + (std::filesystem::path(dataDir) / "shopdesk.db").string());
}

}  // namespace shopdesk::cli

int main(int argc, char** argv) {
  using namespace shopdesk;
  // libgomp reads OMP_WAIT_POLICY when it loads, before main: with its default (spinning) waits, libtorch's
  // threads burn the cores other work needs and run several times slower on a busy 2-core machine. Setting
  // it means starting again with it set.
  if (!std::getenv("OMP_WAIT_POLICY")) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    ::execv("/proc/self/exe", argv);  // on failure, carry on with the default
  }
  CLI::App app{"shopdesk: self-hosted customer service with locally trained models"};
  app.set_version_flag("--version", "shopdesk " SHOPDESK_VERSION);
  app.require_subcommand(1);
  cli::GlobalOptions global;
  app.add_option("--db", global.db, "Database URL: sqlite:PATH or postgresql://USER@HOST:PORT/DB")
      ->envname("SHOPDESK_DATABASE_URL");
  app.add_option("--data-dir", global.dataDir, "Directory for the embedded database and model artifacts")
      ->envname("SHOPDESK_DATA_DIR")
      ->capture_default_str();

  cli::addImportCommand(app, global);
  cli::addExportCommand(app, global);
  cli::addDemoCommand(app, global);
  cli::addCategoriesCommand(app, global);
  cli::addStatsCommand(app, global);
  cli::addTrainCommand(app, global);
  cli::addEvalCommand(app, global);
  cli::addClassifyCommand(app, global);
  cli::addModelsCommand(app, global);
  cli::addServeCommand(app, global);
  cli::addTokenizeCommand(app);
  cli::addCheckpointCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const model::ArtifactError& e) {
    fmt::print(stderr, "error: model artifact: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {  // bad input files, database errors: the message says what and where
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
