// Training, evaluating, classifying and managing model versions through the real `shopdesk` binary, on SQLite
// and PostgreSQL.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../unit/demo_files.h"
#include "../unit/naive_bayes_baseline.h"
#include "run_shopdesk.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::runShopdesk;
using shopdesk::testing::TestDatabase;

namespace {

class ModelCliTest : public ::testing::TestWithParam<Backend> {
 protected:
  ModelCliTest() : database_(GetParam()) {
    dataDir_ = std::filesystem::temp_directory_path() / ("shopdesk-models-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dataDir_);
  }
  ~ModelCliTest() override { std::filesystem::remove_all(dataDir_); }

  shopdesk::testing::Result shopdesk(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", database_.url(), "--data-dir", dataDir_.string()});
    return runShopdesk(args);
  }
  // Trains and returns the new version's name.
  std::string train(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"train", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = shopdesk(args);
    EXPECT_EQ(result.exitCode, 0) << result.output;
    const auto line = result.output.substr(result.output.rfind("\n{") + 1);
    return nlohmann::json::parse(line).at("version").get<std::string>();
  }

  TestDatabase database_;
  std::filesystem::path dataDir_;
};

}  // namespace

TEST_P(ModelCliTest, TrainClassifyEvalAndManageVersions) {
  ASSERT_EQ(shopdesk({"demo"}).exitCode, 0);
  auto result = shopdesk({"classify", "where is my parcel"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("no active model"), std::string::npos) << result.output;

  const auto first = train({"--activate"});
  result = shopdesk({"classify", "--json", "where is my parcel? it has been 10 days",
                     "I want to unsubscribe from your emails"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto newline = result.output.find('\n');
  const auto a = nlohmann::json::parse(result.output.substr(0, newline));
  const auto b = nlohmann::json::parse(result.output.substr(newline + 1));
  EXPECT_EQ(a["text"], "where is my parcel? it has been 10 days");
  EXPECT_EQ(a["category"], "order_status");
  EXPECT_EQ(b["category"], "newsletter_subscription");
  EXPECT_EQ(a["ranking"].size(), 3u);
  // Trained with the demo's out-of-scope queries, the model gives that label a probability of its own, which
  // the ranking leaves out: a question about something no shop sells gets more of it than a parcel does.
  result = shopdesk({"classify", "--json", "what is the capital of mongolia"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto elsewhere = nlohmann::json::parse(result.output);
  ASSERT_TRUE(a["out_of_scope"].is_number()) << a.dump();
  EXPECT_GT(elsewhere["out_of_scope"].get<double>(), a["out_of_scope"].get<double>() * 10)
      << elsewhere.dump();
  for (const auto& r : elsewhere["ranking"]) EXPECT_NE(r["category"], "out_of_scope");

  // Texts reach the model byte for byte, options and texts in any order, "--" before texts that start with
  // '-'.
  const std::vector<std::string> texts = {"[urgent] where is my order [help]", "refund, please, now",
                                          "\"quoted\" 'twice'", "où est mon colis ? 📦",
                                          "-1 stars, never again"};
  result =
      shopdesk({"classify", texts[0], "--json", texts[1], texts[2], texts[3], "--top", "2", "--", texts[4]});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  std::istringstream lines(result.output);
  std::size_t at = 0;
  for (std::string line; std::getline(lines, line); ++at) {
    ASSERT_LT(at, texts.size()) << result.output;
    EXPECT_EQ(nlohmann::json::parse(line)["text"], texts[at]);
  }
  EXPECT_EQ(at, texts.size());

  result = shopdesk({"eval", "--json", "--data", SHOPDESK_SOURCE_DIR "/data/test.csv"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto report = nlohmann::json::parse(result.output);
  // Clearly above Naive Bayes trained on all of train.csv, though the model learnt from 80% of it.
  const auto& demo = shopdesk::testing::demoFiles();
  const double baseline = shopdesk::testing::naiveBayesAccuracy(
      demo.trainTexts, demo.trainTargets, demo.labels.size(), demo.testTexts, demo.testTargets);
  std::cout << "test.csv accuracy " << report["accuracy"] << ", Naive Bayes " << baseline << "\n";
  // Measured 90.6% (Naive Bayes 77.1%).
  EXPECT_GE(report["accuracy"].get<double>(), 0.88);
  EXPECT_GE(report["accuracy"].get<double>(), baseline + 0.08);
  EXPECT_GE(report["macro_f1"].get<double>(), 0.88);
  EXPECT_EQ(report["examples"], 848);

  // The harder file, written apart from the training rows in real customers' wording.
  result = shopdesk({"eval", "--json", "--data", SHOPDESK_SOURCE_DIR "/data/test_messy.csv"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto messy = nlohmann::json::parse(result.output);
  std::cout << "test_messy.csv accuracy " << messy["accuracy"] << "\n";
  EXPECT_GE(messy["accuracy"].get<double>(), 0.95);  // measured 97.3%
  EXPECT_EQ(messy["examples"], 1184);

  const auto second = train({"--kind", "linear"});
  result = shopdesk({"models", "list"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("* " + first), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("2 versions"), std::string::npos) << result.output;

  result = shopdesk({"models", "delete", first});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("is active"), std::string::npos) << result.output;
  ASSERT_EQ(shopdesk({"models", "activate", second}).exitCode, 0);
  ASSERT_EQ(shopdesk({"models", "delete", first}).exitCode, 0);
  EXPECT_FALSE(std::filesystem::exists(dataDir_ / "models" / first));
  result = shopdesk({"models", "activate", "no-such-version"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("no model version 'no-such-version'"), std::string::npos) << result.output;
}

TEST_P(ModelCliTest, ACorruptArtifactIsRefusedAndTheActiveVersionKeepsServing) {
  // A small store and small models: what is tested is the artifact check, not what the models learnt.
  const auto file = dataDir_.string() + "-small.csv";
  shopdesk::testing::writeDemoSubset(file, 3, 15);
  ASSERT_EQ(shopdesk({"import", file}).exitCode, 0);
  std::filesystem::remove(file);
  const std::vector<std::string> small = {"--no-out-of-scope", "--buckets", "4096", "--epochs", "3"};
  auto trainSmall = [&](std::vector<std::string> args) {
    args.insert(args.end(), small.begin(), small.end());
    return train(args);
  };
  const auto good = trainSmall({"--activate", "--kind", "linear"});
  // A linear model's weights cut short, and an ensemble's n-gram member cut short: each refused with the file
  // named, and the active version keeps answering.
  const auto linear = trainSmall({"--kind", "linear"});
  const auto ensemble = trainSmall({"--kind", "ensemble"});
  for (const auto& weights : {dataDir_ / "models" / linear / "model.safetensors",
                              dataDir_ / "models" / ensemble / "ngram" / "model.safetensors"}) {
    std::filesystem::resize_file(weights, std::filesystem::file_size(weights) / 3);
    const auto bad = weights.parent_path().filename() == "ngram" ? ensemble : linear;
    auto result = shopdesk({"models", "activate", bad});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.output.find(weights.string()), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("truncated"), std::string::npos) << result.output;
    result = shopdesk({"classify", "--json", "cancel my order please"});
    ASSERT_EQ(result.exitCode, 0) << result.output;
    result = shopdesk({"models", "list"});
    EXPECT_NE(result.output.find("* " + good), std::string::npos) << result.output;
  }
}

TEST_P(ModelCliTest, TrainingRefusesAStoreWithOneCategory) {
  const auto file = dataDir_.string() + "-one.csv";
  { std::ofstream(file) << "text,label\nwhere is it,order_status\nany news on my order,order_status\n"; }
  ASSERT_EQ(shopdesk({"import", file}).exitCode, 0);
  const auto result = shopdesk({"train"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("at least two categories"), std::string::npos) << result.output;
  EXPECT_NE(shopdesk({"models", "list"}).output.find("0 versions"), std::string::npos);
  std::filesystem::remove(file);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelCliTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);
