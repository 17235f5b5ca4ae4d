#include "model/policy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace shopdesk::model;

namespace {

std::vector<Ranked> ranking(float top, float second) {
  return {{0, top}, {1, second}, {2, 1 - top - second}};
}

}  // namespace

TEST(AnswerPolicy, HandsOffWhenUnsureOrAmbiguous) {
  const AnswerPolicy policy{0.5, 0.2};
  EXPECT_FALSE(policy.handOff(ranking(0.9f, 0.05f)));
  EXPECT_TRUE(policy.handOff(ranking(0.45f, 0.05f)));   // below the threshold
  EXPECT_TRUE(policy.handOff(ranking(0.55f, 0.40f)));   // a gap of 0.15 to the runner-up
  EXPECT_FALSE(policy.handOff(ranking(0.60f, 0.30f)));  // a gap of 0.30
  EXPECT_TRUE(policy.handOff({}));
}

TEST(AnswerPolicy, ScoresInScopeAndOutOfScope) {
  // Three in-scope queries: answered right, answered wrong, handed off; two out-of-scope: one caught.
  const std::vector<std::vector<Ranked>> inScope = {
      {{0, 0.9f}, {1, 0.1f}}, {{1, 0.8f}, {0, 0.2f}}, {{0, 0.5f}, {1, 0.5f}}};
  const std::vector<std::vector<Ranked>> oos = {{{0, 0.95f}, {1, 0.05f}}, {{1, 0.52f}, {0, 0.48f}}};
  const auto report = scorePolicy({0.7, 0.0}, inScope, {0, 0, 0}, oos);
  EXPECT_NEAR(report.inScopeAccuracy, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(report.handoffRate, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(report.outOfScopeRecall, 0.5, 1e-12);
}

TEST(AnswerPolicy, TuningSeparatesConfidentFromUnsure) {
  // In-scope answers are right with confidence above 0.8; out-of-scope queries score at most 0.6.
  std::vector<std::vector<Ranked>> inScope;
  std::vector<int> truth;
  for (int i = 0; i < 20; ++i) {
    inScope.push_back({{0, 0.8f + i * 0.005f}, {1, 0.1f}});
    truth.push_back(0);
  }
  std::vector<std::vector<Ranked>> oos;
  for (int i = 0; i < 20; ++i) oos.push_back({{1, 0.4f + i * 0.01f}, {0, 0.3f}});
  const auto report = tunePolicy(inScope, truth, oos);
  // Either rule may do the separating (a threshold in (0.59, 0.8] or a gap in (0.29, 0.7]); the outcome is
  // what matters.
  EXPECT_DOUBLE_EQ(report.inScopeAccuracy, 1.0);
  EXPECT_DOUBLE_EQ(report.outOfScopeRecall, 1.0);
  const auto json = report.toJson();
  EXPECT_EQ(AnswerPolicy::fromJson(json["policy"]).threshold, report.policy.threshold);
  EXPECT_EQ(AnswerPolicy::fromJson(json["policy"]).ambiguity, report.policy.ambiguity);
}
