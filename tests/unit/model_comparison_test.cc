// A candidate version compared with the active one on the store's own questions, before activating it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "service/catalog.h"
#include "service/interactions.h"
#include "service/model_comparison.h"
#include "service/secrets.h"
#include "service/training_data.h"

using namespace shopdesk;

namespace {

class ModelComparisonTest : public ::testing::Test {
 protected:
  ModelComparisonTest()
      : dir_(std::filesystem::temp_directory_path() / ("shopdesk-comparison-" + std::to_string(::getpid()))),
        store_((std::filesystem::remove_all(dir_), std::filesystem::create_directories(dir_),
                store::openStore("sqlite:" + (dir_ / "db").string()))),
        registry_(*store_, dir_) {}
  ~ModelComparisonTest() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string train() {
    model::TrainingOptions options;
    options.kind = "linear";
    options.testFraction = 0;
    options.outOfScopeClass = false;
    return registry_.train(options, {}, false).version.version;
  }

  std::int64_t answered(const std::string& query, const std::string& category) {
    store::Interaction interaction;
    interaction.query = query;
    interaction.category = category;
    interaction.confidence = 0.9;
    interaction.feedbackTokenHash = service::sha256Hex("t");
    return store_->recordInteractions(std::vector{interaction}).at(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  service::ModelRegistry registry_;
};

}  // namespace

TEST_F(ModelComparisonTest, TheCandidateIsScoredOnWhatAgentsAndCustomersSaidWasRight) {
  service::TrainingData data(*store_);
  for (const char* q : {"where is my parcel", "track my order", "has my package shipped",
                        "when does my order arrive", "where is my delivery", "my parcel has not arrived",
                        "order tracking number", "is my order on its way"})
    data.add({q, "order_status"}, "import");
  for (const char* q : {"I want a refund", "refund my money", "return this item for a refund",
                        "how do refunds work", "give me my money back", "refund for a broken item",
                        "can I get a refund", "when will my refund arrive"})
    data.add({q, "refunds"}, "import");
  const auto first = train();
  registry_.activate(first);

  // Gift cards are a category the active version never learnt: it cannot answer those questions right.
  service::Catalog(*store_, nullptr).save({{0, "gift_cards", "", "Gift cards never expire.", {}, false, 0}});
  service::Interactions interactions(*store_, 0.5);
  std::vector<std::int64_t> giftCards;
  for (const char* q :
       {"do gift cards expire", "buy a gift card", "gift card balance", "my gift card code fails"}) {
    giftCards.push_back(answered(q, "refunds"));
    interactions.review(giftCards.back(), store::ReviewAction::kRelabel, "gift_cards");  // also an example
  }
  const auto resolved = answered("where is my parcel now", "order_status");
  interactions.review(resolved, store::ReviewAction::kResolve, std::nullopt);
  const auto corrected = answered("a gift card for my mother", "refunds");
  interactions.addFeedback(corrected, "t", {false, "gift_cards", std::nullopt, 0});
  const auto ignored = answered("hello there", "order_status");
  interactions.review(ignored, store::ReviewAction::kIgnore, std::nullopt);
  answered("refund my parcel", "refunds");  // nobody said what was right
  for (const char* q :
       {"gift card for a birthday", "gift card gift", "send a gift card", "gift card payment"})
    data.add({q, "gift_cards"}, "import");
  const auto second = train();

  const auto c = service::ModelComparer(*store_, registry_).compareWithActive(second);
  EXPECT_EQ(c.active, first);
  EXPECT_EQ(c.candidate, second);
  EXPECT_EQ(c.labelled, 6) << "four relabelled, one resolved, one corrected; not the ignored or unrated ones";
  EXPECT_EQ(c.traffic, 8);
  EXPECT_NEAR(c.activeAccuracy, 1.0 / 6, 1e-9) << "only the resolved parcel question";
  EXPECT_GT(c.candidateAccuracy, 4.0 / 6);
  EXPECT_TRUE(c.newlyWrong.empty());
  ASSERT_GE(c.newlyRight.size(), 4u);
  for (const auto& q : c.newlyRight) {
    EXPECT_EQ(q.truth, "gift_cards") << q.query;
    EXPECT_EQ(q.candidate, "gift_cards") << q.query;
    EXPECT_NE(q.active, "gift_cards") << q.query;
  }
  EXPECT_GE(c.changed, 4);
  EXPECT_EQ(c.toJson()["newly_right"].size(), c.newlyRight.size());

  EXPECT_THROW(service::ModelComparer(*store_, registry_).compareWithActive("linear-19700101-000000"),
               store::NotFoundError);
}

TEST_F(ModelComparisonTest, WithNoActiveVersionThereIsNothingToCompareWith) {
  service::TrainingData data(*store_);
  for (const char* q :
       {"where is my parcel", "track my order", "has my package shipped", "where is my delivery"})
    data.add({q, "order_status"}, "import");
  for (const char* q : {"I want a refund", "refund my money", "how do refunds work", "can I get a refund"})
    data.add({q, "refunds"}, "import");
  EXPECT_THROW(service::ModelComparer(*store_, registry_).compareWithActive(train()), store::ConflictError);
}
