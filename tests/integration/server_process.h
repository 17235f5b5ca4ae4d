#pragma once

// A real `shopdesk serve` process on a loopback port the kernel picks (the server binds port 0 and prints the
// port, so tests running side by side never race for one), stopped with SIGTERM when it goes out of scope,
// with no rate limit unless the test sets one. A server that does not stop cleanly (exit code 0 after
// SIGTERM, within 20 s) or whose log holds a sanitizer report fails the test that ran it: leaks are reported
// only at exit, and most of the integration tests' code runs in the server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "run_shopdesk.h"

namespace shopdesk::testing {

class ServerProcess {
 public:
  static constexpr const char* kToken = "test-admin-token";

  //! An empty `databaseUrl` is the embedded default as a user first meets it: no --db and no --admin-token
  //! (the server generates one into DATA_DIR/admin-token).
  ServerProcess(std::string databaseUrl, std::filesystem::path dataDir, std::vector<std::string> extra = {})
      : url_(std::move(databaseUrl)), dataDir_(std::move(dataDir)), extra_(std::move(extra)) {
    start();
  }
  ~ServerProcess() {
    stop();
    for (int i = 1; i <= starts_; ++i) std::filesystem::remove(logPath(i));
  }

  void start() {
    std::filesystem::create_directories(dataDir_);
    log_ = logPath(++starts_);
    std::vector<std::string> args = {shopdeskBinary(), "--data-dir", dataDir_.string(),
                                     "serve",          "--port",     "0"};
    if (!url_.empty()) {
      args.insert(args.end(), {"--db", url_, "--admin-token", kToken});
      // A first model in a second, not the default's few: these tests are about serving, and the default
      // kind is started by the tests of the newcomer's path (readme_test, the browser test).
      if (std::find(extra_.begin(), extra_.end(), "--bootstrap-kind") == extra_.end())
        args.insert(args.end(), {"--bootstrap-kind", "linear"});
    }
    // Tests send bursts from one address; the rate limit has tests of its own.
    if (std::find(extra_.begin(), extra_.end(), "--rate-limit") == extra_.end())
      args.insert(args.end(), {"--rate-limit", "0"});
    args.insert(args.end(), extra_.begin(), extra_.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    // Ready when it has printed its port and /healthz answers; training on first start takes a few seconds.
    static const std::regex serving(R"(shopdesk is serving .* on http://[^ ]*:(\d+)/)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        throw std::runtime_error("shopdesk serve exited early:\n" + log());
      }
      std::smatch match;
      const auto text = log();
      if (port_ == 0 && std::regex_search(text, match, serving)) port_ = std::stoi(match[1]);
      if (port_ != 0) {
        if (auto result = client().Get("/healthz"); result && result->status == 200) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("shopdesk serve did not start:\n" + log());
  }

  //! SIGTERM, then wait; SIGKILL after 20 s.
  void stop() { signal(SIGTERM); }
  //! Sends `sig` and reaps the process; a sanitizer report in its log fails the test, and so does any end but
  //! exit code 0 unless `sig` is SIGKILL.
  void signal(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 200 && !reaped; ++i) {
      reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!reaped) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      ADD_FAILURE() << "shopdesk serve did not stop within 20 s of signal " << sig << "; its log:\n" << log();
    } else if (sig != SIGKILL && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      ADD_FAILURE() << "shopdesk serve ended with "
                    << (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                          : "signal " + std::to_string(WTERMSIG(status)))
                    << " after signal " << sig << "; its log:\n"
                    << log();
    } else if (const auto text = log(); hasSanitizerReport(text)) {
      ADD_FAILURE() << "shopdesk serve's log holds a sanitizer report:\n" << text;
    }
    pid_ = 0;
    port_ = 0;
  }

  //! AddressSanitizer, LeakSanitizer, ThreadSanitizer or UndefinedBehaviorSanitizer output.
  static bool hasSanitizerReport(const std::string& log) {
    static const std::regex report(R"((Address|Leak|Thread|Memory)Sanitizer|: runtime error: )");
    return std::regex_search(log, report);
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(60);
    return c;
  }
  httplib::Headers admin() const { return {{"Authorization", std::string("Bearer ") + kToken}}; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  // Outside the data directory, which a test may delete before the server stops: the log must outlive it.
  std::filesystem::path logPath(int start) const {
    return std::filesystem::temp_directory_path() /
           ("shopdesk-serve-" + std::to_string(::getpid()) + "-" + std::to_string(id_) + "-" +
            std::to_string(start) + ".log");
  }

  static inline std::atomic<int> instances_ = 0;
  int id_ = ++instances_;
  std::string url_;
  std::filesystem::path dataDir_;
  std::vector<std::string> extra_;
  std::filesystem::path log_;
  int starts_ = 0;
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace shopdesk::testing
