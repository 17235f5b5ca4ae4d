// Runs the README's example commands as a newcomer would, against a real `shopdesk serve` on a fresh embedded
// store: every `curl` and `shopdesk` line of its ```sh blocks (but `shopdesk serve`), in order, from a folder
// that looks like the repository root after `scripts/run` (data/, shopdesk-data/ with the generated admin
// token, a HOME with ~/models/<checkpoint> as the README names them). A curl line must answer 2xx with the
// JSON keys its comment shows (`# {"category": …, …}`); a shopdesk line must exit 0.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "run_shopdesk.h"
#include "server_process.h"

namespace {

namespace fs = std::filesystem;
using shopdesk::testing::Result;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::shellQuote;

// The command lines of the README's ```sh blocks that a user runs against the quick start's server.
std::vector<std::string> exampleCommands(const fs::path& readme) {
  std::ifstream in(readme);
  std::vector<std::string> commands;
  std::string line;
  bool inShell = false;
  while (std::getline(in, line)) {
    if (line.starts_with("```")) {
      inShell = !inShell && line == "```sh";
      continue;
    }
    if (!inShell) continue;
    if (line.starts_with("curl ") || (line.starts_with("shopdesk ") && !line.starts_with("shopdesk serve")))
      commands.push_back(line);
  }
  return commands;
}

// The JSON keys a line's trailing comment shows: `# {"category": …, "handoff": …}`.
std::vector<std::string> documentedKeys(const std::string& command) {
  const auto comment = command.rfind("  # {");
  std::vector<std::string> keys;
  if (comment == std::string::npos) return keys;
  static const std::regex key(R"re("([a-z_]+)":)re");
  const auto text = command.substr(comment);
  for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it) keys.push_back((*it)[1]);
  return keys;
}

// Runs `command` with bash in `dir`, as the README's reader would; curl fails on an HTTP error status.
Result runInShell(const std::string& command, const fs::path& dir, int port) {
  const auto line =
      std::regex_replace(command, std::regex("localhost:8080"), "127.0.0.1:" + std::to_string(port));
  const auto script = "curl() { command curl --fail-with-body --show-error \"$@\"; }\n" + line + "\n";
  const auto binaryDir = fs::path(shopdesk::testing::shopdeskBinary()).parent_path().string();
  const auto shell = "cd " + shellQuote(dir.string()) + " && HOME=" + shellQuote(dir.string()) +
                     " PATH=" + shellQuote(binaryDir) + ":\"$PATH\" bash -c " + shellQuote(script) +
                     " 2>&1 </dev/null";
  return shopdesk::testing::runCommand(shell);
}

class ReadmeTest : public ::testing::Test {
 protected:
  ReadmeTest() : root_(fs::temp_directory_path() / ("shopdesk-readme-" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::create_directory_symlink(fs::path(SHOPDESK_SOURCE_DIR) / "data", root_ / "data");
  }
  ~ReadmeTest() override { fs::remove_all(root_); }

  fs::path root_;
};

}  // namespace

TEST_F(ReadmeTest, EveryExampleCommandWorksOnAFreshStore) {
  const auto commands = exampleCommands(fs::path(SHOPDESK_SOURCE_DIR) / "README.md");
  // The quick start's three, the command line's, the checkpoint section's and the API section's.
  ASSERT_GE(commands.size(), 15u) << "the README's examples were not found";

  // The checkpoints the README names under ~/models, as tiny random ones in the same layout.
  static const std::regex checkpoint(R"(~/models/([A-Za-z0-9._-]+))");
  std::set<std::string> checkpoints;
  for (const auto& c : commands) {
    for (std::sregex_iterator it(c.begin(), c.end(), checkpoint), end; it != end; ++it)
      checkpoints.insert((*it)[1]);
  }
  for (const auto& name : checkpoints) {
    const auto arch = name.find("distilbert") != std::string::npos ? "distilbert"
                      : name.find("roberta") != std::string::npos  ? "roberta"
                                                                   : "bert";
    const auto made = shopdesk::testing::runShopdesk(
        {"checkpoint", "init", (root_ / "models" / name).string(), "--arch", arch});
    ASSERT_EQ(made.exitCode, 0) << made.output;
  }

  // scripts/run: the embedded default in ./shopdesk-data, demo data loaded and a model trained on first
  // start.
  ServerProcess server("", root_ / "shopdesk-data");
  ASSERT_TRUE(fs::exists(root_ / "shopdesk-data" / "admin-token"));

  int curls = 0;
  for (const auto& command : commands) {
    SCOPED_TRACE(command);
    const auto result = runInShell(command, root_, server.port());
    ASSERT_EQ(result.exitCode, 0) << result.output;
    if (!command.starts_with("curl ")) continue;
    ++curls;
    const auto keys = documentedKeys(command);
    EXPECT_FALSE(keys.empty()) << "a curl example must show the shape of its answer in a `# {…}` comment";
    const auto body = nlohmann::json::parse(result.output, nullptr, false);
    ASSERT_TRUE(body.is_object()) << result.output;
    for (const auto& key : keys) EXPECT_TRUE(body.contains(key)) << "no '" << key << "' in " << result.output;
  }
  EXPECT_GE(curls, 9);
}
