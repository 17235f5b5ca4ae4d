// The clustering wrapper on constructed rows whose groups are known.
#include "model/topic_clusters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using shopdesk::model::clusterRows;
using shopdesk::model::SparseRow;

namespace {

// A row over `features` (ascending), all weights equal, of length 1.
SparseRow row(std::vector<std::int32_t> features) {
  SparseRow out;
  out.indices = std::move(features);
  out.values.assign(out.indices.size(), static_cast<float>(1.0 / std::sqrt(out.indices.size())));
  return out;
}

// `groups` groups of `size` rows: each row holds its group's 4 core features and 2 of its own, so rows of a
// group are alike (cosine 4/6) and rows of different groups share nothing.
std::vector<SparseRow> groupsOf(int groups, int size, std::int32_t* features) {
  std::vector<SparseRow> rows;
  std::int32_t next = groups * 4;
  for (int g = 0; g < groups; ++g) {
    for (int i = 0; i < size; ++i) {
      rows.push_back(row({g * 4, g * 4 + 1, g * 4 + 2, g * 4 + 3, next, next + 1}));
      next += 2;
    }
  }
  *features = next;
  return rows;
}

}  // namespace

TEST(TopicClusters, RecoversKnownGroupsLargestFirst) {
  std::int32_t features = 0;
  auto rows = groupsOf(3, 6, &features);
  rows.resize(rows.size() - 2);  // the last group is smaller: it must come last
  const auto labels = clusterRows(rows, features, {});
  ASSERT_EQ(labels.size(), rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) EXPECT_EQ(labels[r], static_cast<int>(r / 6)) << "row " << r;
}

TEST(TopicClusters, ARowLikeNoOtherIsAClusterOfItsOwn) {
  std::int32_t features = 0;
  auto rows = groupsOf(2, 5, &features);
  rows.insert(rows.begin() + 3, row({features, features + 1}));  // shares nothing
  const auto labels = clusterRows(rows, features + 2, {});
  std::set<int> groupA, groupB;
  for (int r : {0, 1, 2, 4, 5}) groupA.insert(labels[static_cast<std::size_t>(r)]);
  for (int r = 6; r < 11; ++r) groupB.insert(labels[static_cast<std::size_t>(r)]);
  ASSERT_EQ(groupA.size(), 1u);
  ASSERT_EQ(groupB.size(), 1u);
  EXPECT_NE(*groupA.begin(), *groupB.begin());
  EXPECT_EQ(labels[3], 2);  // after the two groups of five
}

TEST(TopicClusters, WeakLinksBelowTheThresholdDoNotJoinGroups) {
  // Two groups bridged by rows sharing one feature with each: at a threshold above the bridge's similarity
  // they stay apart.
  std::int32_t features = 0;
  auto rows = groupsOf(2, 5, &features);
  rows.push_back(row({0, 4, features, features + 1, features + 2, features + 3}));  // 1/6 like each group
  shopdesk::model::ClusterOptions options;
  options.minSimilarity = 0.3;
  const auto labels = clusterRows(rows, features + 4, options);
  EXPECT_NE(labels[0], labels[5]);
  EXPECT_EQ(labels[10], 2);
}

TEST(TopicClusters, TheSameRowsAndSeedGiveTheSameLabels) {
  std::mt19937 random(7);
  std::vector<SparseRow> rows;
  for (int i = 0; i < 300; ++i) {
    std::set<std::int32_t> picked;
    while (picked.size() < 5) picked.insert(static_cast<std::int32_t>(random() % 60));
    rows.push_back(row({picked.begin(), picked.end()}));
  }
  EXPECT_EQ(clusterRows(rows, 60, {}), clusterRows(rows, 60, {}));
  EXPECT_TRUE(clusterRows({}, 0, {}).empty());
}
