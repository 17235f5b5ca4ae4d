#include "model/length_batches.h"

#include <gtest/gtest.h>

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
