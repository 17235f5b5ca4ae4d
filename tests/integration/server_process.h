#pragma once

// A real `shopdesk serve` process on a free loopback port, stopped with SIGTERM when it goes out of scope,
// with no rate limit unless the test sets one.
#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace shopdesk::testing {

//! A port nobody listens on now (the kernel's pick for port 0).
inline int freePort() {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(sock);
  return ntohs(address.sin_port);
}

class ServerProcess {
 public:
  static constexpr const char* kToken = "test-admin-token";

  ServerProcess(std::string databaseUrl, std::filesystem::path dataDir, std::vector<std::string> extra = {})
      : url_(std::move(databaseUrl)), dataDir_(std::move(dataDir)), extra_(std::move(extra)) {
    start();
  }
  ~ServerProcess() { stop(); }

  void start() {
    port_ = freePort();
    std::filesystem::create_directories(dataDir_);
    log_ = dataDir_ / ("serve-" + std::to_string(port_) + ".log");
    std::vector<std::string> args = {SHOPDESK_BINARY,   "--db",  url_,     "--data-dir",
                                     dataDir_.string(), "serve", "--port", std::to_string(port_),
                                     "--admin-token",   kToken};
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
    // Ready when /healthz answers; training on first start takes a few seconds.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        throw std::runtime_error("shopdesk serve exited early:\n" + log());
      }
      if (auto result = client().Get("/healthz"); result && result->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("shopdesk serve did not start:\n" + log());
  }

  //! SIGTERM, then wait; SIGKILL after 20 s.
  void stop() { signal(SIGTERM); }
  //! Sends `sig` and reaps the process.
  void signal(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    for (int i = 0; i < 200; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(60);
    return c;
  }
  httplib::Headers admin() const { return {{"Authorization", std::string("Bearer ") + kToken}}; }
  int port() const { return port_; }
  std::string log() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string url_;
  std::filesystem::path dataDir_;
  std::vector<std::string> extra_;
  std::filesystem::path log_;
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace shopdesk::testing
