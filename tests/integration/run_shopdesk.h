#pragma once

// Runs the real `shopdesk` binary and captures what it prints.
#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace shopdesk::testing {

struct Result {
  int exitCode;
  std::string output;  //!< stdout and stderr
};

inline std::string shellQuote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

//! Runs a shell command line as it is (the caller quotes and redirects) and captures what it prints.
inline Result runCommand(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

inline Result runShopdesk(const std::vector<std::string>& args) {
  std::string command = shellQuote(SHOPDESK_BINARY);
  for (const auto& arg : args) command += " " + shellQuote(arg);
  return runCommand(command + " 2>&1 </dev/null");
}

}  // namespace shopdesk::testing
