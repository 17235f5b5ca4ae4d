#include "model/length_batches.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using shopdesk::model::shareByLength;
using shopdesk::model::splitByLength;

TEST(LengthBatches, OneLongTextGetsAPassOfItsOwn) {
  const std::vector<std::size_t> lengths = {8, 9, 9, 10, 10, 11, 12, 12, 120};
  EXPECT_EQ(splitByLength(lengths, 32, 48), (std::vector<std::size_t>{8, 9}));
}

TEST(LengthBatches, SimilarLengthsShareOnePass) {
  const std::vector<std::size_t> lengths(20, 16);
  EXPECT_EQ(splitByLength(lengths, 32, 48), (std::vector<std::size_t>{20}));
}

TEST(LengthBatches, NoPassIsLargerThanTheLimit) {
  const std::vector<std::size_t> lengths(70, 16);
  const auto ends = splitByLength(lengths, 32, 48);
  ASSERT_FALSE(ends.empty());
  EXPECT_EQ(ends.back(), 70u);
  std::size_t start = 0;
  for (auto end : ends) {
    EXPECT_LE(end - start, 32u);
    EXPECT_GT(end, start);
    start = end;
  }
  EXPECT_EQ(ends.size(), 3u);
}

TEST(LengthBatches, AFreePassMeansNoPaddingAndACostlyOneMeansOnePass) {
  const std::vector<std::size_t> lengths = {4, 6, 8, 10};
  EXPECT_EQ(splitByLength(lengths, 32, 0), (std::vector<std::size_t>{1, 2, 3, 4}));
  EXPECT_EQ(splitByLength(lengths, 32, 1000), (std::vector<std::size_t>{4}));
}

TEST(LengthBatches, NothingToSplit) {
  EXPECT_TRUE(splitByLength({}, 32, 48).empty());
  EXPECT_THROW(splitByLength({1}, 0, 48), std::invalid_argument);
}

namespace {

std::size_t tokens(const std::vector<std::size_t>& lengths, const std::vector<std::size_t>& group) {
  std::size_t sum = 0;
  for (auto i : group) sum += lengths[i];
  return sum;
}

}  // namespace

TEST(LengthBatches, TwoWorkersGetAboutAsManyTokensEach) {
  const std::vector<std::size_t> lengths = {6,  36, 8,  9,  25, 9,  10, 33, 10,
                                            11, 27, 11, 12, 16, 17, 17, 18, 21};
  const auto groups = shareByLength(lengths, 2);
  ASSERT_EQ(groups.size(), 2u);
  std::vector<std::size_t> all;
  for (const auto& group : groups) {
    EXPECT_TRUE(std::is_sorted(group.begin(), group.end(),
                               [&](std::size_t a, std::size_t b) { return lengths[a] < lengths[b]; }));
    all.insert(all.end(), group.begin(), group.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> every(lengths.size());
  std::iota(every.begin(), every.end(), 0);
  EXPECT_EQ(all, every);
  // 296 tokens: longest first, each to the lighter worker, gives 148 and 148 here. Halves of the sorted list
  // would give 86 and 210.
  const auto a = tokens(lengths, groups[0]);
  const auto b = tokens(lengths, groups[1]);
  EXPECT_LE(a > b ? a - b : b - a, 6u) << a << " against " << b;
}

TEST(LengthBatches, ATextLongerThanAFairShareKeepsEveryThreadTogether) {
  const std::vector<std::size_t> lengths = {12, 300, 10};
  EXPECT_EQ(shareByLength(lengths, 2), (std::vector<std::vector<std::size_t>>{{2, 0, 1}}));
}

TEST(LengthBatches, OneWorkerOrOneTextIsOneGroup) {
  EXPECT_EQ(shareByLength({5, 3, 4}, 1), (std::vector<std::vector<std::size_t>>{{1, 2, 0}}));
  EXPECT_EQ(shareByLength({5}, 2), (std::vector<std::vector<std::size_t>>{{0}}));
  EXPECT_EQ(shareByLength({}, 2), (std::vector<std::vector<std::size_t>>{{}}));
}
