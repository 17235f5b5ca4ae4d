#pragma once

// Runs the real `shopdesk` binary and captures what it prints.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
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

//! The `shopdesk` binary of the build tree this test belongs to: <tree>/src/shopdesk beside <tree>/tests/.
//! Found at run time rather than compiled in, so a test's object file is the same in every tree and ccache
//! compiles it once.
inline std::string shopdeskBinary() {
  static const std::string binary =
      (std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "src" / "shopdesk")
          .string();
  return binary;
}

inline Result runShopdesk(const std::vector<std::string>& args) {
  std::string command = shellQuote(shopdeskBinary());
  for (const auto& arg : args) command += " " + shellQuote(arg);
  return runCommand(command + " 2>&1 </dev/null");
}

}  // namespace shopdesk::testing
