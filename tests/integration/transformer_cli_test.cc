// The transformer through the real binary: the checkpoint commands a user runs to trust a checkpoint, a
// model trained with `train --kind transformer` answering concurrent requests in a running server (SQLite and
// PostgreSQL, the second server reading the artifact from the database), and training jobs over the API.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../unit/demo_files.h"
#include "run_shopdesk.h"
#include "server_process.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::runShopdesk;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;

namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-tf-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

std::vector<nlohmann::json> jsonLines(const std::string& output) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.front() == '{') lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// A tiny random checkpoint written by the binary itself.
std::filesystem::path tinyCheckpoint(const std::string& name, const std::string& architecture) {
  const auto dir = scratch(name);
  const auto r = runShopdesk({"checkpoint", "init", dir.string(), "--arch", architecture, "--hidden", "32",
                              "--heads", "4", "--intermediate", "64", "--vocab-size", "800"});
  EXPECT_EQ(r.exitCode, 0) << r.output;
  return dir;
}

}  // namespace

TEST(CheckpointCommands, InspectTokenizeAndLogitsGiveOneJsonObjectPerTextInOrder) {
  const auto dir = tinyCheckpoint("commands", "roberta");
  const auto inspect = runShopdesk({"checkpoint", "inspect", dir.string(), "--json"});
  ASSERT_EQ(inspect.exitCode, 0) << inspect.output;
  const auto info = jsonLines(inspect.output).at(0);
  EXPECT_EQ(info["architecture"], "roberta");
  EXPECT_EQ(info["tokenizer"]["kind"], "bpe");
  EXPECT_EQ(info["labels"], nlohmann::json::array());
  bool query = false;
  for (const auto& t : info["tensors"])
    query = query || t["name"] == "roberta.encoder.layer.1.attention.self.query.weight";
  EXPECT_TRUE(query);

  const auto tokenized = runShopdesk({"tokenize", "--checkpoint", dir.string(), "--json",
                                      "where is my parcel", "refund", "--max-length", "4"});
  ASSERT_EQ(tokenized.exitCode, 0) << tokenized.output;
  const auto tokens = jsonLines(tokenized.output);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0]["text"], "where is my parcel");
  EXPECT_EQ(tokens[0]["tokens"].size(), 4u);  // truncated: <s> two pieces </s>
  EXPECT_EQ(tokens[0]["tokens"].front(), "<s>");
  EXPECT_EQ(tokens[0]["tokens"].back(), "</s>");
  EXPECT_EQ(tokens[1]["text"], "refund");
  EXPECT_EQ(tokens[1]["ids"].size(), tokens[1]["tokens"].size());

  const auto logits = runShopdesk({"checkpoint", "logits", dir.string(), "--json", "a parcel", "b"});
  ASSERT_EQ(logits.exitCode, 0) << logits.output;
  const auto rows = jsonLines(logits.output);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["text"], "a parcel");
  EXPECT_EQ(rows[0]["logits"].size(), 2u);  // a base checkpoint gets a fresh two-label head
  EXPECT_NE(rows[0]["logits"], rows[1]["logits"]);
  std::filesystem::remove_all(dir);
}

// CLI11 reads "[…]" as a list and "--" only partly; the command line must hand every text over byte for byte.
TEST(CheckpointCommands, TextsReachTheTokenizerAndTheNetworkVerbatim) {
  const auto dir = tinyCheckpoint("verbatim", "bert");
  const std::vector<std::string> texts = {"[CLS] hi [SEP]",
                                          "[urgent] where is my order [help]",
                                          "[a,b]",
                                          "a, b, and c",
                                          "say \"hi\" to 'them'",
                                          "über café 日本 🙂",
                                          "\x1f[marked] already",
                                          "-starts with a dash",
                                          "--max-length",
                                          "--"};
  const std::vector<std::vector<std::string>> commands = {
      {"tokenize", "--checkpoint", dir.string(), "--json"}, {"checkpoint", "logits", dir.string(), "--json"}};
  for (const auto& prefix : commands) {
    auto args = prefix;
    // Texts that start with '-' go after "--"; the rest may come before it.
    args.insert(args.end(), texts.begin(), texts.begin() + 7);
    args.push_back("--");
    args.insert(args.end(), texts.begin() + 7, texts.end());
    const auto result = runShopdesk(args);
    ASSERT_EQ(result.exitCode, 0) << result.output;
    const auto rows = jsonLines(result.output);
    ASSERT_EQ(rows.size(), texts.size()) << result.output;
    for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(rows[i]["text"], texts[i]) << prefix[0];
  }
  // The WordPiece tokenizer keeps literal special tokens special: the brackets reached it.
  const auto tokens =
      jsonLines(runShopdesk({"tokenize", "--checkpoint", dir.string(), "--json", "[CLS] hi"}).output);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["tokens"][1], "[CLS]");
  std::filesystem::remove_all(dir);
}

TEST(CheckpointCommands, BrokenCheckpointsAreClearErrors) {
  const auto missing = runShopdesk({"checkpoint", "inspect", "/nonexistent/checkpoint"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.output.find("/nonexistent/checkpoint/config.json"), std::string::npos) << missing.output;

  const auto dir = tinyCheckpoint("broken", "bert");
  std::ofstream(dir / "config.json") << R"({"model_type": "bert", "hidden_size": 32})";
  const auto bad = runShopdesk({"checkpoint", "logits", dir.string(), "x"});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.output.find("'num_hidden_layers' must be an integer from 1 to"), std::string::npos)
      << bad.output;

  const auto noCheckpoint =
      runShopdesk({"--data-dir", (dir / "data").string(), "train", "--kind", "transformer"});
  EXPECT_EQ(noCheckpoint.exitCode, 1);
  EXPECT_NE(noCheckpoint.output.find("--checkpoint"), std::string::npos) << noCheckpoint.output;
  std::filesystem::remove_all(dir);
}

class TransformerServing : public ::testing::TestWithParam<Backend> {};

TEST_P(TransformerServing, ATrainedTransformerAnswersConcurrentRequestsOnEveryServer) {
  TestDatabase database(GetParam());
  const auto checkpoint = tinyCheckpoint("serve", "distilbert");
  const auto dataDir = scratch("serve-data");
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", database.url(), "--data-dir", dataDir.string()});
    return runShopdesk(args);
  };
  // Four categories of the demo's: the test is about serving a transformer, not what it learns.
  const auto examples = scratch("serve-examples.csv");
  shopdesk::testing::writeDemoSubset(examples, 4, 60);
  ASSERT_EQ(cli({"import", examples.string()}).exitCode, 0);
  std::filesystem::remove(examples);
  const auto trained = cli({"train", "--kind", "transformer", "--checkpoint", checkpoint.string(),
                            "--no-out-of-scope", "--epochs", "2", "--lr", "2e-3", "--batch-size", "32",
                            "--max-length", "32", "--activate", "--json"});
  ASSERT_EQ(trained.exitCode, 0) << trained.output;
  const auto version = jsonLines(trained.output).back().at("version").get<std::string>();
  ASSERT_EQ(version.rfind("transformer-", 0), 0u) << version;
  const auto classified = cli({"classify", "--json", "where is my parcel? it was due yesterday"});
  ASSERT_EQ(classified.exitCode, 0) << classified.output;
  const auto expected = jsonLines(classified.output).at(0).at("category");

  // On PostgreSQL the server gets an empty data directory: it must load the artifact from the database.
  const auto serverDir = GetParam() == Backend::kPostgres ? scratch("serve-replica") : dataDir;
  ServerProcess server(database.url(), serverDir);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0}, sameCategory{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      auto client = server.client();
      for (int i = 0; i < 10; ++i) {
        const auto r =
            client.Post("/api/v1/answers", R"({"query": "where is my parcel? it was due yesterday"})",
                        "application/json");
        if (!r || r->status != 201) {
          ADD_FAILURE() << (r ? r->body : httplib::to_string(r.error()));
          continue;
        }
        const auto body = nlohmann::json::parse(r->body);
        ok += body["model_version"] == version;
        sameCategory += body["category"] == expected;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 80) << server.log();
  EXPECT_EQ(sameCategory.load(), 80);  // batched with others or alone, the answer is the CLI's

  // A training job over the API: a missing checkpoint is refused, a real one runs to success.
  auto client = server.client();
  const auto refused =
      client.Post("/api/v1/models", server.admin(),
                  R"({"kind": "transformer", "checkpoint": "/nonexistent"})", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422);
  const nlohmann::json request = {{"kind", "transformer"}, {"checkpoint", checkpoint.string()},
                                  {"epochs", 1},           {"max_length", 24},
                                  {"batch_size", 32},      {"freeze_encoder", true}};
  const auto started = client.Post("/api/v1/models", server.admin(), request.dump(), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  const auto id = nlohmann::json::parse(started->body)["id"].get<int>();
  nlohmann::json job;
  for (int i = 0; i < 600; ++i) {
    job = nlohmann::json::parse(
        client.Get("/api/v1/training-jobs/" + std::to_string(id), server.admin())->body);
    if (job["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["params"]["transformer"]["freeze_encoder"], true);
  EXPECT_GT(job["progress"].value("tokens_per_second", 0.0), 0.0) << job.dump();
  std::filesystem::remove_all(checkpoint);
  std::filesystem::remove_all(dataDir);
  std::filesystem::remove_all(serverDir);
}

INSTANTIATE_TEST_SUITE_P(Backends, TransformerServing,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);
