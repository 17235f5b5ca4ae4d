// Temperature scaling on a case whose answer is known in closed form, and the softmax ranking.
#include "model/calibration.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace shopdesk::model;

TEST(Calibration, FitsTheTemperatureThatMatchesTheObservedFrequency) {
  // Scores [1, 0] every time, and label 0 three times in four: the likeliest temperature makes
  // softmax([1, 0] / T)[0] = 0.75, so 1 / T = ln(0.75 / 0.25) = ln 3.
  const std::vector<std::vector<double>> scores(4, {1.0, 0.0});
  const std::vector<int> truth = {0, 0, 0, 1};
  EXPECT_NEAR(fitTemperature(scores, truth), 1 / std::log(3.0), 1e-4);
  // Always right with a clear margin: sharper is always likelier (the likelihood flattens out at 1 long
  // before the search's bound of 0.01).
  EXPECT_LT(fitTemperature(std::vector<std::vector<double>>(3, {2.0, 0.0}), {0, 0, 0}), 0.1);
  EXPECT_EQ(fitTemperature({}, {}), 1.0);
}

TEST(Calibration, RanksBySoftmaxWithTheTemperature) {
  const auto ranked = rankBySoftmax({0.0, 2.0, 1.0}, 1.0);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].label, 1);
  EXPECT_EQ(ranked[1].label, 2);
  EXPECT_EQ(ranked[2].label, 0);
  float sum = 0;
  for (const auto& r : ranked) sum += r.probability;
  EXPECT_NEAR(sum, 1.0f, 1e-6f);
  EXPECT_NEAR(ranked[0].probability, std::exp(2.0) / (1 + std::exp(1.0) + std::exp(2.0)), 1e-6);
  // A higher temperature flattens, a lower one sharpens; ties go to the lower label.
  EXPECT_LT(rankBySoftmax({0.0, 2.0, 1.0}, 4.0)[0].probability, ranked[0].probability);
  EXPECT_GT(rankBySoftmax({0.0, 2.0, 1.0}, 0.25)[0].probability, ranked[0].probability);
  const auto tie = rankBySoftmax({1.0, 1.0}, 1.0);
  EXPECT_EQ(tie[0].label, 0);
}
