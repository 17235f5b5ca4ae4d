#include <fmt/format.h>

#include <unistd.h>

#include <semaphore.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cli/arguments.h"
#include "cli/commands.h"
#include "model/safetensors.h"

namespace shopdesk::cli {

std::string GlobalOptions::url() const {
  if (!db.empty()) return db;
  std::filesystem::create_directories(dataDir);
  return "sqlite:" + (std::filesystem::path(dataDir) / "shopdesk.db").string();
}

std::unique_ptr<store::Store> GlobalOptions::openStore() const { return store::openStore(url()); }

std::filesystem::path GlobalOptions::sqlitePath() const {
  if (db.empty()) return std::filesystem::path(dataDir) / "shopdesk.db";
  if (!db.starts_with("sqlite:")) {
    throw std::invalid_argument(
        "backup and restore copy a SQLite store; back up PostgreSQL with pg_dump and pg_restore (README: "
        "Backup "
        "and restore)");
  }
  auto path = db.substr(7);
  if (path.ends_with("?mode=ro")) path.resize(path.size() - 8);
  return path;
}

namespace {

std::mutex stopMutex;
std::function<void(int)> stopHandler;
sem_t stopSemaphore;
volatile std::sig_atomic_t stopReceived = 0;

// Runs in whichever thread the kernel picked; everything else happens on the stop thread.
extern "C" void onSignal(int received) {
  stopReceived = received;
  ::sem_post(&stopSemaphore);  // async-signal-safe
}

// SIGINT and SIGTERM run onSignal wherever they land, and the stop thread handles them: handlers never do
// real work inside a signal handler, and no thread a library started before main can end the process.
void handleStopSignals() {
  ::sem_init(&stopSemaphore, 0, 0);
  struct sigaction action {};
  action.sa_handler = onSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  // The threads main starts from now on inherit the mask and are never interrupted; the stop thread itself
  // takes the signals (a process-directed signal goes to a thread that does not block it).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    while (true) {
      while (::sem_wait(&stopSemaphore) != 0) {
      }
      const int received = stopReceived;
      // The handler runs under the lock, so the main thread's onStopSignal({}) after the server stopped waits
      // for it to finish before anything it uses is destroyed (ThreadSanitizer found the main thread tearing
      // down while this detached thread could still be inside the handler). A signal with no handler, such
      // as a second one while the server shuts down, ends the process at once.
      std::lock_guard lock(stopMutex);
      if (!stopHandler) std::_Exit(128 + received);
      stopHandler(received);
    }
  }).detach();
}

}  // namespace

void onStopSignal(std::function<void(int)> handler) {
  std::lock_guard lock(stopMutex);
  stopHandler = std::move(handler);
}

}  // namespace shopdesk::cli

int main(int argc, char** argv) {
  using namespace shopdesk;
  // libgomp reads OMP_WAIT_POLICY once, when libtorch loads it before main: its default spinning waits make
  // libtorch several times slower on a shared 2-core machine. When it is not set, the process sets it and
  // starts itself again (scripts and tests set it, and save the second start).
  if (!std::getenv("OMP_WAIT_POLICY")) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    ::execv("/proc/self/exe", argv);  // on failure, carry on with libgomp's default
  }
  cli::handleStopSignals();
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
  cli::addBackupCommands(app, global);
  cli::addEraseCommand(app, global);
  cli::addTrainCommand(app, global);
  cli::addEvalCommand(app, global);
  cli::addClassifyCommand(app, global);
  cli::addModelsCommand(app, global);
  cli::addServeCommand(app, global);
  cli::addTokensCommand(app, global);
  cli::addAuditCommand(app, global);
  cli::addTopicsCommand(app, global);
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
