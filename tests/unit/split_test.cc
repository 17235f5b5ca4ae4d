#include "model/split.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using shopdesk::model::stratifiedSplit;

namespace {

std::vector<int> labels(std::initializer_list<std::pair<int, int>> counts) {
  std::vector<int> out;
  for (const auto& [label, n] : counts) out.insert(out.end(), static_cast<std::size_t>(n), label);
  return out;
}

}  // namespace

TEST(StratifiedSplit, KeepsProportionsPerLabel) {
  const auto y = labels({{0, 100}, {1, 40}, {2, 20}});
  const auto split = stratifiedSplit(y, 0.1, 0.2, 42);
  std::map<int, std::array<int, 3>> counts;
  for (auto i : split.train) ++counts[y[i]][0];
  for (auto i : split.validation) ++counts[y[i]][1];
  for (auto i : split.test) ++counts[y[i]][2];
  EXPECT_EQ(counts[0], (std::array<int, 3>{70, 10, 20}));
  EXPECT_EQ(counts[1], (std::array<int, 3>{28, 4, 8}));
  EXPECT_EQ(counts[2], (std::array<int, 3>{14, 2, 4}));
}

TEST(StratifiedSplit, IsADeterministicPartition) {
  const auto y = labels({{0, 57}, {1, 33}, {2, 9}});
  const auto a = stratifiedSplit(y, 0.15, 0.15, 7);
  const auto b = stratifiedSplit(y, 0.15, 0.15, 7);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.test, b.test);
  std::set<std::size_t> all;
  for (const auto* part : {&a.train, &a.validation, &a.test}) all.insert(part->begin(), part->end());
  EXPECT_EQ(all.size(), y.size());  // no index twice, none left out: no leakage between parts
  EXPECT_EQ(a.train.size() + a.validation.size() + a.test.size(), y.size());
  EXPECT_NE(stratifiedSplit(y, 0.15, 0.15, 8).test, a.test);
}

TEST(StratifiedSplit, AlwaysLeavesTrainingExamples) {
  const auto y = labels({{0, 1}, {1, 2}, {2, 3}});
  const auto split = stratifiedSplit(y, 0.4, 0.4, 1);
  std::set<int> trained;
  for (auto i : split.train) trained.insert(y[i]);
  EXPECT_EQ(trained, (std::set<int>{0, 1, 2}));
  EXPECT_THROW(stratifiedSplit(y, 0.5, 0.5, 1), std::invalid_argument);
  EXPECT_THROW(stratifiedSplit(y, -0.1, 0.2, 1), std::invalid_argument);
}
