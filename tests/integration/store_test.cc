// The same suite against SQLite and a real PostgreSQL server.
#include <gtest/gtest.h>

#include <thread>

#include "common/clock.h"
#include "store/interaction_pages.h"
#include "store/store.h"
#include "test_database.h"

using namespace shopdesk;
using shopdesk::testing::Backend;
using shopdesk::testing::TestDatabase;

namespace {

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  StoreTest() : database_(GetParam()), store_(store::openStore(database_.url())) {}

  TestDatabase database_;
  std::unique_ptr<store::Store> store_;
};

std::vector<store::TrainingExample> examples(
    std::initializer_list<std::pair<const char*, const char*>> rows) {
  std::vector<store::TrainingExample> out;
  for (const auto& [query, category] : rows) out.push_back({{query, category}, 0, "import"});
  return out;
}

}  // namespace

TEST_P(StoreTest, StartsMigratedAndEmpty) {
  const auto stats = store_->stats();
  EXPECT_GE(stats.schemaVersion, 1);
  EXPECT_EQ(stats.categories, 0);
  EXPECT_EQ(stats.trainingExamples, 0);
  EXPECT_TRUE(store_->trainingExamples().empty());
}

TEST_P(StoreTest, ImportCreatesCategoriesAndSkipsDuplicates) {
  auto first = store_->addTrainingExamples(examples({{"where is my parcel", "order_status"},
                                                     {"refund please", "returns_refunds"},
                                                     {"where is my parcel", "order_status"}}));
  EXPECT_EQ(first.received, 3);
  EXPECT_EQ(first.inserted, 2);
  EXPECT_EQ(first.duplicates, 1);
  EXPECT_EQ(first.createdCategories, (std::vector<std::string>{"order_status", "returns_refunds"}));

  auto again = store_->addTrainingExamples(
      examples({{"where is my parcel", "order_status"}, {"track order 123", "order_status"}}));
  EXPECT_EQ(again.inserted, 1);
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_TRUE(again.createdCategories.empty());

  const auto stored = store_->trainingExamples();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].text, "where is my parcel");
  EXPECT_EQ(stored[2].text, "track order 123");
  EXPECT_EQ(stored[2].source, "import");
}

TEST_P(StoreTest, StoresAnyTextVerbatim) {
  const std::string hostile = "'; DROP TABLE model_training_data; -- ? $1 \\ \"";
  const std::string unicode =
      "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\xA6 \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7";
  const std::string big(1 << 20, 'y');
  store_->addTrainingExamples(
      examples({{hostile.c_str(), "odd ' label"}, {unicode.c_str(), "b"}, {big.c_str(), "b"}}));
  const auto stored = store_->trainingExamples();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].text, hostile);
  EXPECT_EQ(stored[0].label, "odd ' label");
  EXPECT_EQ(stored[1].text, unicode);
  EXPECT_EQ(stored[2].text, big);
}

TEST_P(StoreTest, RejectsIncompleteExamplesWithoutStoringAny) {
  auto rows = examples({{"fine", "a"}, {"", "a"}});
  EXPECT_THROW(store_->addTrainingExamples(rows), store::StoreError);
  EXPECT_EQ(store_->stats().trainingExamples, 0);
  EXPECT_EQ(store_->stats().categories, 0);
}

TEST_P(StoreTest, LargeImportIsOneTransaction) {
  std::vector<store::TrainingExample> rows;
  for (int i = 0; i < 5000; ++i)
    rows.push_back({{"query number " + std::to_string(i), "c" + std::to_string(i % 7)}, 0, "bulk"});
  const auto summary = store_->addTrainingExamples(rows);
  EXPECT_EQ(summary.inserted, 5000);
  EXPECT_EQ(summary.createdCategories.size(), 7u);
  const auto stats = store_->stats();
  EXPECT_EQ(stats.trainingExamples, 5000);
  ASSERT_EQ(stats.examplesBySource.size(), 1u);
  EXPECT_EQ(stats.examplesBySource[0], (std::pair<std::string, std::int64_t>{"bulk", 5000}));
}

TEST_P(StoreTest, SavesCategoriesWithRecommendations) {
  store::Category category{0, "order_status", "Where an order is", "Track it under My Account.", {}, false,
                           0};
  category.recommendations = {
      {"Track your order", "Open your orders.", "Track order", "/account/orders"},
      {"Where is my tracking number", "In the dispatch email.", std::nullopt, std::nullopt}};
  store_->saveCategories(std::vector{category});
  store_->addTrainingExamples(examples({{"where is it", "order_status"}}));

  auto stored = store_->categories();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].response, "Track it under My Account.");
  EXPECT_EQ(stored[0].exampleCount, 1);
  ASSERT_EQ(stored[0].recommendations.size(), 2u);
  EXPECT_EQ(stored[0].recommendations[0].actionUrl, "/account/orders");
  EXPECT_EQ(stored[0].recommendations[1].actionLabel, std::nullopt);
  EXPECT_FALSE(stored[0].smallTalk);

  category.response = "Updated answer.";
  category.recommendations.pop_back();
  category.smallTalk = true;
  store_->saveCategories(std::vector{category});
  stored = store_->categories();
  EXPECT_EQ(stored[0].response, "Updated answer.");
  EXPECT_EQ(stored[0].recommendations.size(), 1u);
  EXPECT_TRUE(stored[0].smallTalk);
}

// How a server learns that another server, or the CLI, edited the catalog.
TEST_P(StoreTest, EveryCatalogChangeCountsTheRevisionAndWakesTheOtherServers) {
  const auto other = store::openStore(database_.url());  // another server on the same database
  while (other->waitForChange(std::chrono::milliseconds(0))) {
  }
  auto revision = store_->catalogRevision();
  const auto changed = [&] {
    const auto now = store_->catalogRevision();
    EXPECT_EQ(other->catalogRevision(), now);
    return std::exchange(revision, now) != now;
  };
  store_->addTrainingExamples(examples({{"where is it", "order_status"}}));
  EXPECT_TRUE(changed()) << "a new category";
  store_->addTrainingExamples(examples({{"any news", "order_status"}}));
  EXPECT_FALSE(changed()) << "no new category";
  store::Category category{0, "order_status", "", "Track it under My Account.", {}, false, 0};
  store_->saveCategories(std::vector{category});
  EXPECT_TRUE(changed()) << "a new answer";
  EXPECT_THROW(store_->deleteCategory("order_status", std::nullopt), store::ConflictError);
  EXPECT_FALSE(changed()) << "a refused deletion";
  store_->addTrainingExamples(examples({{"refund please", "returns_refunds"}}));
  EXPECT_TRUE(changed());
  store_->deleteCategory("returns_refunds", "order_status");
  EXPECT_TRUE(changed()) << "a deletion";
  // PostgreSQL wakes the other server at once; on SQLite its watcher polls.
  EXPECT_EQ(other->waitForChange(std::chrono::milliseconds(GetParam() == Backend::kPostgres ? 5000 : 0)),
            GetParam() == Backend::kPostgres);
}

TEST_P(StoreTest, ModelVersionsAreFoundByNameAndOneIsActive) {
  store::ModelVersion a{0, "linear-a", "linear", "/models/linear-a", "f1", "{}", false, 1};
  auto b = a;
  b.version = "ngram-b";
  b.kind = "ngram";
  store_->addModelVersion(a, std::string("a's bytes\0", 10));
  store_->addModelVersion(b, "b's bytes");
  EXPECT_EQ(store_->modelVersion("linear-a")->kind, "linear");
  EXPECT_FALSE(store_->modelVersion("nothing").has_value());
  EXPECT_EQ(store_->modelArtifact("linear-a"), std::string("a's bytes\0", 10));
  EXPECT_FALSE(store_->activeModelVersion().has_value());

  store_->activateModelVersion("ngram-b");
  EXPECT_TRUE(store_->modelVersion("ngram-b")->active);
  store_->activateModelVersion("linear-a");
  EXPECT_FALSE(store_->modelVersion("ngram-b")->active);
  EXPECT_EQ(store_->activeModelVersion()->version, "linear-a");
  EXPECT_THROW(store_->activateModelVersion("nothing"), store::NotFoundError);
  EXPECT_EQ(store_->activeModelVersion()->version, "linear-a") << "a refused activation changes nothing";

  EXPECT_THROW(store_->deleteModelVersion("linear-a"), store::StoreError);
  store_->deleteModelVersion("ngram-b");
  EXPECT_FALSE(store_->modelVersion("ngram-b").has_value());
  EXPECT_EQ(store_->modelVersions().size(), 1u);
}

TEST_P(StoreTest, OldInteractionsGoWithTheirFeedbackInBatchesAndTheirExamplesStay) {
  store_->addTrainingExamples(examples({{"where is it", "order_status"}, {"refund please", "refunds"}}));
  const std::int64_t day = 86400000;
  std::vector<store::Interaction> asked;
  for (std::int64_t age : {40, 35, 31, 29, 1}) {  // days before "now", 100 days into 1970
    store::Interaction i;
    i.query = "question asked " + std::to_string(age) + " days ago";
    i.category = "order_status";
    i.feedbackTokenHash = "hash";
    i.createdAt = (100 - age) * day;
    asked.push_back(i);
  }
  const auto ids = store_->recordInteractions(asked);
  store_->addFeedback(ids[0], "hash", {true, std::nullopt, std::nullopt, 0});
  store_->addFeedback(ids[3], "hash", {false, std::nullopt, std::nullopt, 0});
  store_->reviewInteraction(ids[1], store::ReviewAction::kRelabel, "refunds");  // becomes an example

  const auto cutoff = (100 - 30) * day;
  EXPECT_EQ(store_->deleteInteractionsBefore(cutoff, 2), 2) << "a batch is at most its limit";
  EXPECT_EQ(store_->deleteInteractionsBefore(cutoff, 2), 1);
  EXPECT_EQ(store_->deleteInteractionsBefore(cutoff, 2), 0);
  for (int k = 0; k < 3; ++k) EXPECT_FALSE(store_->interaction(ids[k]).has_value()) << k;
  ASSERT_TRUE(store_->interaction(ids[3]).has_value());
  EXPECT_TRUE(store_->interaction(ids[3])->feedback.has_value()) << "newer feedback stays";
  EXPECT_TRUE(store_->interaction(ids[4]).has_value());
  const auto stats = store_->stats();
  EXPECT_EQ(stats.interactions, 2);
  EXPECT_EQ(stats.feedback, 1) << "the deleted interaction's feedback went with it";
  EXPECT_EQ(stats.trainingExamples, 3) << "the example an agent made of a deleted question stays";
}

TEST_P(StoreTest, ErasureFindsACustomerByTheirEntitiesAndKeepsTheCounts) {
  store_->addTrainingExamples(examples({{"where is it", "order_status"}, {"refund please", "refunds"}}));
  std::vector<store::Interaction> asked;
  for (const auto* email : {"ann@example.com", "bob@example.com", "ann@example.com"}) {
    store::Interaction i;
    i.query = std::string("where is SD-482913? mail ") + email;
    i.category = "order_status";
    i.response = "I've found order SD-482913";
    i.sessionId = "s";
    i.feedbackTokenHash = "hash";
    i.createdAt = common::nowMillis();
    i.entities = {{"order_number", "SD-482913", "SD-482913"}, {"email", email, email}};
    asked.push_back(i);
  }
  const auto ids = store_->recordInteractions(asked);
  store_->addFeedback(ids[0], "hash", {false, std::nullopt, std::string("call me on 07700 900123"), 0});
  store_->reviewInteraction(ids[0], store::ReviewAction::kRelabel, "refunds");  // an example of their text
  const auto examplesBefore = store_->stats().trainingExamples;

  const auto ann = store_->interactionsWithEntity("email", "ann@example.com");
  EXPECT_EQ(ann, (std::vector<std::int64_t>{ids[2], ids[0]}));
  EXPECT_EQ(store_->interactionsWithEntity("order_number", "SD-482913").size(), 3u);
  EXPECT_TRUE(store_->interactionsWithEntity("email", "nobody@example.com").empty());

  EXPECT_EQ(store_->eraseInteractions(ann), 2);
  EXPECT_EQ(store_->eraseInteractions(ann), 0) << "erased once";
  const auto erased = store_->interaction(ids[0]);
  ASSERT_TRUE(erased.has_value());
  EXPECT_EQ(erased->query, "");
  EXPECT_EQ(erased->response, "");
  EXPECT_EQ(erased->sessionId, "");
  EXPECT_TRUE(erased->entities.empty());
  EXPECT_TRUE(erased->erasedAt.has_value());
  EXPECT_EQ(erased->category, "order_status");
  ASSERT_TRUE(erased->feedback.has_value());
  EXPECT_FALSE(erased->feedback->comment.has_value());
  EXPECT_EQ(store_->stats().trainingExamples, examplesBefore - 1);
  EXPECT_TRUE(store_->interactionsWithEntity("email", "ann@example.com").empty());
  EXPECT_EQ(store_->interaction(ids[1])->query, asked[1].query) << "another customer's question stays";
  const auto traffic = store_->trafficStats(0);
  EXPECT_EQ(traffic.interactions, 3) << "the counts stay";
  EXPECT_EQ(traffic.withFeedback, 1);
  store::InteractionFilter queue;
  queue.needsReview = true;
  queue.lowConfidence = 2;  // everything unsure: only the erased are left out
  EXPECT_EQ(store_->findInteractions(queue).total, 1);
}

TEST_P(StoreTest, LongListsAreReadNewestFirstAPageAtATime) {
  std::vector<store::Interaction> asked;
  for (int k = 0; k < 11; ++k) {
    store::Interaction i;
    i.query = "question " + std::to_string(k);
    i.category = "order_status";
    i.handoff = k % 2 == 0;  // 6 hand-offs: 0, 2, 4, 6, 8, 10
    i.createdAt = 1000 + k;
    asked.push_back(i);
  }
  const auto ids = store_->recordInteractions(asked);
  store::InteractionFilter handoffs;
  handoffs.handoff = true;
  handoffs.beforeId = ids[5];  // the reader's own: ignored
  std::vector<std::size_t> progress;
  const auto all = store::readNewestInteractions(
      *store_, handoffs, 100, [&](std::size_t read) { progress.push_back(read); }, 4);
  std::vector<std::string> queries;
  for (const auto& i : all) queries.push_back(i.query);
  EXPECT_EQ(queries, (std::vector<std::string>{"question 10", "question 8", "question 6", "question 4",
                                               "question 2", "question 0"}));
  EXPECT_EQ(progress, std::vector<std::size_t>{4}) << "called between pages, not after the last";

  const auto three = store::readNewestInteractions(*store_, handoffs, 3, {}, 2);
  ASSERT_EQ(three.size(), 3u);
  EXPECT_EQ(three[2].query, "question 6");
  const auto exact = store::readNewestInteractions(*store_, handoffs, 6, {}, 3);
  EXPECT_EQ(exact.size(), 6u) << "a last page that is exactly full";
  EXPECT_TRUE(store::readNewestInteractions(*store_, handoffs, 0).empty());
}

TEST_P(StoreTest, AdminTokensAreFoundByHashRevokedOnceAndTheirNamesFreedAgain) {
  store_->addAdminToken({"alice", "admin", 1000, std::nullopt}, "hash-1");
  EXPECT_THROW(store_->addAdminToken({"alice", "admin", 1001, std::nullopt}, "hash-2"), store::ConflictError);
  const auto found = store_->adminTokenByHash("hash-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "alice");
  EXPECT_EQ(found->createdBy, "admin");
  EXPECT_FALSE(found->revokedAt);
  EXPECT_FALSE(store_->adminTokenByHash("hash-2"));

  store_->revokeAdminToken("alice", 2000);
  EXPECT_THROW(store_->revokeAdminToken("alice", 2001), store::NotFoundError);
  EXPECT_EQ(store_->adminTokenByHash("hash-1")->revokedAt, 2000);  // still found: it must say "revoked"
  store_->addAdminToken({"alice", "bob", 3000, std::nullopt}, "hash-3");
  const auto tokens = store_->adminTokens();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].createdBy, "bob");  // newest first
  EXPECT_FALSE(tokens[0].revokedAt);
  EXPECT_EQ(tokens[1].revokedAt, 2000);
}

TEST_P(StoreTest, TheAuditLogListsNewestFirstAndFiltersByActorAndAction) {
  for (int i = 0; i < 5; ++i) {
    store_->recordAudit({0, 1000 + i, i % 2 ? "alice" : "cli", i < 3 ? "category.save" : "model.activate",
                         "t" + std::to_string(i), R"({"n":)" + std::to_string(i) + "}"});
  }
  const auto all = store_->findAudit({});
  EXPECT_EQ(all.total, 5);
  ASSERT_EQ(all.items.size(), 5u);
  EXPECT_EQ(all.items[0].target, "t4");
  EXPECT_EQ(all.items[0].detail, R"({"n":4})");
  EXPECT_EQ(all.items[4].at, 1000);

  store::AuditFilter filter;
  filter.actor = "alice";
  filter.action = "category.save";
  const auto page = store_->findAudit(filter);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.items.at(0).target, "t1");

  filter = {};
  filter.limit = 2;
  filter.offset = 2;
  const auto second = store_->findAudit(filter);
  EXPECT_EQ(second.total, 5);
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_EQ(second.items[0].target, "t2");
}

TEST_P(StoreTest, SeveralProcessesMayOpenANewDatabaseAtOnce) {
  TestDatabase fresh(GetParam());
  std::vector<std::thread> threads;
  std::atomic<int> opened = 0;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto store = store::openStore(fresh.url());
      opened += store->schemaVersion() >= 1;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened, 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);
