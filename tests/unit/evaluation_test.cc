#include "model/evaluation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using shopdesk::model::evaluate;
using shopdesk::model::evaluateRankings;

// Worked by hand. Truth and predictions over labels a, b, c:
//   truth      a a a a b b b c c c
//   predicted  a a a b b b a c b c
// confusion: a→{a3 b1}, b→{a1 b2}, c→{b1 c2}; 7 of 10 right.
// a: P 3/4  R 3/4  F1 .75     b: P 2/4 R 2/3 F1 .5714…   c: P 2/2 R 2/3 F1 .8
TEST(Evaluation, MatchesHandComputedMetrics) {
  const std::vector<int> truth = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
  const std::vector<int> predicted = {0, 0, 0, 1, 1, 1, 0, 2, 1, 2};
  const std::vector<float> confidence = {0.95f, 0.95f, 0.95f, 0.95f, 0.55f,
                                         0.55f, 0.55f, 0.55f, 0.55f, 0.55f};
  const auto e = evaluate({"a", "b", "c"}, truth, predicted, confidence);
  EXPECT_DOUBLE_EQ(e.accuracy, 0.7);
  EXPECT_NEAR(e.categories[0].precision, 0.75, 1e-12);
  EXPECT_NEAR(e.categories[1].precision, 0.5, 1e-12);
  EXPECT_NEAR(e.categories[1].recall, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(e.categories[1].f1, 4.0 / 7.0, 1e-12);
  EXPECT_NEAR(e.categories[2].f1, 0.8, 1e-12);
  EXPECT_NEAR(e.macroF1, (0.75 + 4.0 / 7.0 + 0.8) / 3.0, 1e-12);
  EXPECT_EQ(e.categories[2].support, 3);
  EXPECT_EQ(e.categories[2].mostConfusedWith, "b");
  EXPECT_EQ(e.categories[0].confusedCount, 1);
  EXPECT_EQ(e.confusion[1], (std::vector<std::int64_t>{1, 2, 0}));
  // Bin 9 (0.95): 3 right of 4 → |0.75 - 0.95| × 0.4; bin 5 (0.55): 4 right of 6 → |0.6667 - 0.55| × 0.6.
  EXPECT_NEAR(e.expectedCalibrationError, 0.2 * 0.4 + (4.0 / 6.0 - 0.55) * 0.6, 1e-6);
  EXPECT_EQ(e.confidenceRight[9], 3);
  EXPECT_EQ(e.confidenceWrong[9], 1);
  EXPECT_EQ(e.confidenceWrong[5], 2);

  const auto json = e.toJson();
  EXPECT_DOUBLE_EQ(json["accuracy"].get<double>(), 0.7);
  EXPECT_EQ(json["categories"][2]["most_confused_with"], "b");
  EXPECT_NE(e.summary().find("accuracy 70.00%"), std::string::npos);
}

TEST(Evaluation, CategoriesThatNeverOccurDoNotCountInMacroF1) {
  const auto e = evaluate({"a", "b", "unused"}, {0, 1}, {0, 1}, {0.9f, 0.8f});
  EXPECT_DOUBLE_EQ(e.macroF1, 1.0);
  EXPECT_EQ(e.categories[2].mostConfusedWith, std::nullopt);
}

TEST(Evaluation, RejectsMismatchedInput) {
  EXPECT_THROW(evaluate({"a"}, {0, 0}, {0}, {0.5f}), std::invalid_argument);
  EXPECT_THROW(evaluate({"a"}, {1}, {0}, {0.5f}), std::invalid_argument);
  EXPECT_EQ(evaluate({"a"}, {}, {}, {}).examples, 0);
}

TEST(Evaluation, RankingsPredictTheirBestCategoryWhenTheOutOfScopeLabelIsNamed) {
  // Label 2 is out of scope. The first ranking leads with it; its best category (0) is right.
  const std::vector<std::vector<shopdesk::model::Ranked>> rankings = {{{2, 0.6f}, {0, 0.3f}, {1, 0.1f}},
                                                                      {{1, 0.7f}, {2, 0.2f}, {0, 0.1f}}};
  const auto raw = evaluateRankings({"a", "b", "out_of_scope"}, rankings, {0, 1});
  EXPECT_DOUBLE_EQ(raw.accuracy, 0.5);
  EXPECT_EQ(raw.confusion[0][2], 1);
  const auto categories = evaluateRankings({"a", "b", "out_of_scope"}, rankings, {0, 1}, 2);
  EXPECT_DOUBLE_EQ(categories.accuracy, 1.0);
  EXPECT_EQ(categories.confusion[0][0], 1);
  EXPECT_EQ(categories.confidenceRight[3], 1);  // the category's own probability, 0.3
}
