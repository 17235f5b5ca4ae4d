// The services the routes and the CLI reach data through: their rules hold whoever calls them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/clock.h"
#include "service/catalog.h"
#include "service/interactions.h"
#include "service/retention.h"
#include "service/secrets.h"
#include "service/training_data.h"

using namespace shopdesk;

namespace {

class DataServicesTest : public ::testing::Test {
 protected:
  DataServicesTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("shopdesk-services-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        store_((std::filesystem::create_directories(dir_),
                store::openStore("sqlite:" + (dir_ / "db").string()))) {}
  ~DataServicesTest() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // An answered question whose asker holds `token`.
  std::int64_t answered(const std::string& category, double confidence, const std::string& token) {
    store::Interaction interaction;
    interaction.query = "where is my parcel";
    interaction.category = category;
    interaction.confidence = confidence;
    interaction.response = "Track it under My Account.";
    interaction.feedbackTokenHash = service::sha256Hex(token);
    return store_->recordInteractions(std::vector{interaction}).at(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

store::Category category(const std::string& name) { return {0, name, "", "An answer.", {}, false, 0}; }

}  // namespace

TEST_F(DataServicesTest, CatalogRefusesBadNamesAndStoresNoneOfTheirBatch) {
  service::Catalog catalog(*store_, nullptr);
  for (const std::string& name :
       std::vector<std::string>{"", "order status", "tab\tname", std::string(101, 'x')}) {
    EXPECT_THROW(catalog.save({category("order_status"), category(name)}), service::InvalidValueError)
        << "'" << name << "'";
  }
  EXPECT_TRUE(catalog.categories().empty());
  EXPECT_EQ(catalog.save({category("order_status"), category(std::string(100, 'x'))}), 2u);
  EXPECT_EQ(catalog.category("order_status").response, "An answer.");
  EXPECT_THROW(catalog.category("returns"), store::NotFoundError);
}

TEST_F(DataServicesTest, CatalogDeletionMovesTheExamplesItWasAskedTo) {
  service::Catalog catalog(*store_, nullptr);
  service::TrainingData data(*store_);
  data.add({"where is it", "order_status"}, "agent");
  data.add({"refund please", "refunds"}, "agent");
  EXPECT_THROW(catalog.remove("refunds", std::nullopt), store::ConflictError);
  catalog.remove("refunds", "order_status");
  EXPECT_THROW(catalog.category("refunds"), store::NotFoundError);
  EXPECT_EQ(catalog.category("order_status").exampleCount, 2);
}

TEST_F(DataServicesTest, TrainingDataCountsAnExampleStoredTwiceOnce) {
  service::TrainingData data(*store_);
  EXPECT_EQ(data.add({"where is it", "order_status"}, "agent").inserted, 1);
  const auto again = data.add({"where is it", "order_status"}, "agent");
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.duplicates, 1);
  data.addAll({{{"any news", "order_status"}, 2}}, "import");
  const auto all = data.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].source, "agent");
  EXPECT_EQ(all[1].text, "any news");
  data.remove(all[0].id);
  EXPECT_EQ(data.all().size(), 1u);
  EXPECT_THROW(data.remove(all[0].id), store::NotFoundError);
}

TEST_F(DataServicesTest, TheReviewQueueTakesAnswersBelowTheServersConfidence) {
  const auto unsure = answered("order_status", 0.6, "a");
  answered("order_status", 0.9, "b");
  EXPECT_EQ(service::Interactions(*store_, 0.5).reviewQueue({}).total, 0);
  const auto queue = service::Interactions(*store_, 0.7).reviewQueue({});
  ASSERT_EQ(queue.total, 1);
  EXPECT_EQ(queue.items[0].id, unsure);
  service::Catalog(*store_, nullptr).save({category("refunds")});
  const auto reviewed =
      service::Interactions(*store_, 0.7).review(unsure, store::ReviewAction::kRelabel, "refunds");
  EXPECT_EQ(reviewed.reviewedCategory, "refunds");
  EXPECT_EQ(service::Interactions(*store_, 0.7).reviewQueue({}).total, 0);
}

TEST_F(DataServicesTest, FeedbackNeedsTheTokenTheAnswerCarried) {
  service::Interactions interactions(*store_, 0.5);
  const auto id = answered("order_status", 0.9, "the-token");
  store::Feedback feedback;
  feedback.helpful = true;
  EXPECT_THROW(interactions.addFeedback(id, "another-token", feedback), store::NotFoundError);
  EXPECT_FALSE(interactions.get(id).feedback);
  interactions.addFeedback(id, "the-token", feedback);
  EXPECT_TRUE(interactions.get(id).feedback->helpful);
  EXPECT_THROW(interactions.get(id + 1), store::NotFoundError);
}

TEST_F(DataServicesTest, RetentionDeletesWhatIsOlderThanItsDaysWhateverTheBatches) {
  const auto now = common::nowMillis();
  std::vector<store::Interaction> asked;
  for (int k = 0; k < 2500; ++k) {  // more than two batches, all 31 days old
    store::Interaction i;
    i.query = "old question " + std::to_string(k);
    i.category = "order_status";
    i.createdAt = now - 31LL * 86400000;
    asked.push_back(i);
  }
  store::Interaction recent;
  recent.query = "yesterday's question";
  recent.category = "order_status";
  recent.createdAt = now - 86400000;
  asked.push_back(recent);
  store_->recordInteractions(asked);
  EXPECT_EQ(service::Retention(*store_, 60).sweep(), 0);
  EXPECT_EQ(service::Retention(*store_, 30).sweep(), 2500);
  const auto left = service::Interactions(*store_, 0.5).find({});
  ASSERT_EQ(left.total, 1);
  EXPECT_EQ(left.items[0].query, "yesterday's question");
}
