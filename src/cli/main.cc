#include <fmt/format.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cli/arguments.h"
#include "cli/commands.h"
#include "model/safetensors.h"

namespace shopdesk::cli {

std::unique_ptr<store::Store> GlobalOptions::openStore() const {
  if (!db.empty()) return store::openStore(db);
  std::filesystem::create_directories(dataDir);
  return store::openStore("sqlite:" + (std::filesystem::path(dataDir) / "shopdesk.db").string());
}

namespace {

std::mutex stopMutex;
std::function<void(int)> stopHandler;

sigset_t stopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void onStopSignal(std::function<void(int)> handler) {
  std::lock_guard lock(stopMutex);
  stopHandler = std::move(handler);
}

}  // namespace shopdesk::cli

int main(int argc, char** argv) {
  using namespace shopdesk;
  // Two things must hold before libtorch and libgomp load, which happens before main: OMP_WAIT_POLICY set
  // (libgomp reads it once; its default spinning waits make libtorch several times slower on a shared 2-core
  // machine), and SIGINT/SIGTERM blocked (libraries start threads, and a thread that does not block them
  // would take the signal and end the process without a clean stop). Both survive exec, so when either is
  // missing the process sets them and starts itself again.
  const sigset_t signals = cli::stopSignals();
  sigset_t current;
  pthread_sigmask(SIG_BLOCK, nullptr, &current);
  if (!std::getenv("OMP_WAIT_POLICY") || !sigismember(&current, SIGTERM)) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::execv("/proc/self/exe", argv);  // on failure, carry on: only the early threads miss the mask
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int received = 0;
    sigwait(&signals, &received);
    // The handler runs under the lock, so the main thread's onStopSignal({}) after the server stopped waits
    // for it to finish before anything it uses is destroyed (ThreadSanitizer found the main thread tearing
    // down while this detached thread could still be inside the handler).
    std::lock_guard lock(cli::stopMutex);
    if (!cli::stopHandler) std::_Exit(128 + received);
    cli::stopHandler(received);
  }).detach();
  CLI::App app{"shopdesk: self-hosted customer service with locally trained models", "shopdesk"};
  app.set_version_flag("--version", "shopdesk " SHOPDESK_VERSION);
  app.require_subcommand(1);
  // Subcommands inherit it: --db and --data-dir work after the command name too.
  app.fallthrough();
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

  cli::keepVerbatim(app);

  try {
    app.parse(cli::markedArguments(argc, argv));
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "{}", cli::explainParseError(e, app));
    return e.get_exit_code();
  } catch (const model::ArtifactError& e) {
    fmt::print(stderr, "error: model artifact: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {  // bad input files, database errors: the message says what and where
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
