// Topic discovery on a running server, over both databases: the demo store trained without two of its
// categories answers the demo test questions, and the unanswered ones must group back into those two
// categories (purity and coverage floors); a topic is then filed under a new category through the API.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "analysis_result.h"
#include "run_shopdesk.h"
#include "server_process.h"
#include "service/example_file.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::runShopdesk;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(SHOPDESK_SOURCE_DIR) / "data";
const std::vector<std::string> kRemoved = {"newsletter_subscription", "account_access"};

std::string csvField(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool removed(const std::string& label) {
  return std::find(kRemoved.begin(), kRemoved.end(), label) != kRemoved.end();
}

class TopicsTest : public ::testing::TestWithParam<Backend> {
 protected:
  TopicsTest()
      : database_(GetParam()),
        dir_(fs::temp_directory_path() / ("shopdesk-topics-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~TopicsTest() override { fs::remove_all(dir_); }

  void shopdesk(const std::vector<std::string>& args) {
    auto full = args;
    full.insert(full.begin(), {"--db", database_.url(), "--data-dir", (dir_ / "data").string()});
    const auto result = runShopdesk(full);
    ASSERT_EQ(result.exitCode, 0) << result.output;
  }

  TestDatabase database_;
  fs::path dir_;
};

}  // namespace

TEST_P(TopicsTest, TheQuestionsOfTwoRemovedCategoriesGroupBackIntoTopicsThatBecomeACategory) {
  // The demo store without two of its categories.
  std::ofstream train(dir_ / "train.csv");
  train << "text,label\n";
  for (const auto& row : shopdesk::service::readExampleFile(kData / "train.csv", {})) {
    if (!removed(row.label)) train << csvField(row.text) << "," << row.label << "\n";
  }
  train.close();
  shopdesk({"categories", "load", (kData / "categories.json").string()});
  shopdesk({"import", (dir_ / "train.csv").string()});
  shopdesk({"train", "--kind", "linear", "--activate"});
  ServerProcess server(database_.url(), dir_ / "data", {"--rate-limit", "0"});
  auto client = server.client();
  for (const auto& category : kRemoved)
    ASSERT_EQ(client.Delete("/api/v1/categories/" + category, server.admin())->status, 204);

  // Every test question, asked as a customer would.
  std::map<std::int64_t, std::string> labels;
  std::map<std::string, int> asked;
  for (const auto& row : shopdesk::service::readExampleFile(kData / "test.csv", {})) {
    auto answer = client.Post("/api/v1/answers", json{{"query", row.text}}.dump(), "application/json");
    ASSERT_TRUE(answer && answer->status == 201) << (answer ? answer->body : "no response");
    labels[json::parse(answer->body)["interaction_id"].get<std::int64_t>()] = row.label;
    ++asked[row.label];
  }

  // Asked without waiting, the grouping is left running as a job: asked again meanwhile, the same job
  // answers; polled, it reports its progress and then the report.
  auto started = client.Get("/api/v1/insights/topics?wait=0", server.admin());
  ASSERT_TRUE(started && started->status == 202) << (started ? started->body : "no response");
  const auto job = json::parse(started->body)["job"];
  EXPECT_EQ(job["kind"], "topics");
  EXPECT_EQ(started->get_header_value("Location"), "/api/v1/analysis-jobs/" + job["id"].dump());
  auto joined = client.Get("/api/v1/insights/topics?wait=0", server.admin());
  if (joined->status == 202) {
    EXPECT_EQ(json::parse(joined->body)["job"]["id"], job["id"]);
  }
  json polled;
  std::set<std::string> stages;
  for (int i = 0; i < 3000; ++i) {
    auto reply = client.Get("/api/v1/analysis-jobs/" + job["id"].dump(), server.admin());
    ASSERT_EQ(reply->status, 200) << reply->body;
    polled = json::parse(reply->body);
    stages.insert(polled["progress"].value("stage", ""));
    if (polled["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(polled["status"], "succeeded") << polled.dump();
  EXPECT_TRUE(stages.contains("done"));
  const auto report = polled["result"];
  // A request that waits long enough gets the report itself.
  const auto waited = shopdesk::testing::analysisResult(client, server.admin(), "/api/v1/insights/topics");
  ASSERT_EQ(waited.status, 200) << waited.body.dump();
  EXPECT_EQ(waited.body["questions"], report["questions"]);
  EXPECT_EQ(client.Get("/api/v1/analysis-jobs/999999", server.admin())->status, 404);
  // Purity: of the questions in topics where a removed category is the majority, the share that belong to it.
  // Coverage: of a removed category's test questions, the share that landed in a topic where it is the
  // majority.
  std::map<std::string, int> covered;
  int inTheirTopics = 0, majority = 0;
  // The "new" mark: given to most of the removed categories' topics, seldom to the others' (on similarity
  // alone, about half of them were).
  int theirTopics = 0, theirNew = 0, otherTopics = 0, otherNew = 0;
  json newsletterTopic;
  for (const auto& topic : report["topics"]) {
    std::map<std::string, int> counts;
    for (const auto& id : topic["interaction_ids"]) ++counts[labels.at(id.get<std::int64_t>())];
    const auto top = std::max_element(counts.begin(), counts.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    ASSERT_GE(topic["questions"].size(), 1u);
    ASSERT_LE(topic["questions"].size(), 5u);
    const bool markedNew = topic["new"].get<bool>();
    if (!removed(top->first)) {
      ++otherTopics;
      otherNew += markedNew;
      continue;
    }
    ++theirTopics;
    theirNew += markedNew;
    covered[top->first] += top->second;
    majority += top->second;
    inTheirTopics += static_cast<int>(topic["size"].get<std::size_t>());
    if (top->first == kRemoved[0] && newsletterTopic.is_null()) newsletterTopic = topic;
  }
  ASSERT_GT(inTheirTopics, 0) << report.dump(1);
  const double purity = static_cast<double>(majority) / inTheirTopics;
  std::printf("topics: %zu from %d unanswered questions in %.2f s; purity %.2f", report["topics"].size(),
              report["questions"].get<int>(), report["seconds"].get<double>(), purity);
  for (const auto& category : kRemoved) {
    const double coverage = static_cast<double>(covered[category]) / asked[category];
    std::printf("; %s coverage %.2f (%d of %d)", category.c_str(), coverage, covered[category],
                asked[category]);
    EXPECT_GE(coverage, 0.4) << category;
  }
  std::printf("; marked new: %d of their %d topics, %d of %d others\n", theirNew, theirTopics, otherNew,
              otherTopics);
  EXPECT_GE(purity, 0.7);
  EXPECT_GE(theirNew * 10, theirTopics * 7) << "most of the removed categories' topics are new";
  EXPECT_LE(otherNew * 4, otherTopics) << "at most a quarter of the other topics are new";

  // The topic becomes a category: its questions are its training examples and leave the review queue.
  const auto queued = json::parse(client.Get("/api/v1/review", server.admin())->body)["total"].get<int>();
  const json category = {{"description", "Newsletter"},
                         {"response", "You can unsubscribe at the foot of any email."}};
  ASSERT_EQ(client.Put("/api/v1/categories/newsletter", server.admin(), category.dump(), "application/json")
                ->status,
            200);
  const json assign = {{"category", "newsletter"}, {"interaction_ids", newsletterTopic["interaction_ids"]}};
  auto assigned =
      client.Post("/api/v1/insights/topics/assign", server.admin(), assign.dump(), "application/json");
  ASSERT_EQ(assigned->status, 200) << assigned->body;
  const auto size = newsletterTopic["size"].get<int>();
  EXPECT_EQ(json::parse(assigned->body)["assigned"], size);
  EXPECT_EQ(json::parse(client.Get("/api/v1/review", server.admin())->body)["total"], queued - size);
  const auto examples =
      json::parse(client.Get("/api/v1/training-examples?category=newsletter", server.admin())->body);
  EXPECT_EQ(examples["total"], size);
  auto again =
      client.Post("/api/v1/insights/topics/assign", server.admin(), assign.dump(), "application/json");
  EXPECT_EQ(json::parse(again->body)["skipped"], size);  // reviewed now
  // The log records the change, not the repeat that changed nothing.
  const auto audit = json::parse(client.Get("/api/v1/audit?action=topic.assign", server.admin())->body);
  ASSERT_EQ(audit["total"], 1);
  EXPECT_EQ(audit["items"][0]["detail"]["assigned"], size);

  // What the API refuses.
  const auto status = [&](const std::string& body) {
    return client.Post("/api/v1/insights/topics/assign", server.admin(), body, "application/json")->status;
  };
  EXPECT_EQ(status(R"({"category":"no_such","interaction_ids":[1]})"), 404);
  EXPECT_EQ(status(R"({"category":"newsletter","interaction_ids":[]})"), 422);
  EXPECT_EQ(status(R"({"category":"newsletter","interaction_ids":["1"]})"), 422);
  EXPECT_EQ(client.Get("/api/v1/insights/topics?from=10&to=5", server.admin())->status, 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, TopicsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);
