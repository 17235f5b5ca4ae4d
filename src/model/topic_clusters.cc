#include "model/topic_clusters.h"

#include <dlib/clustering/chinese_whispers.h>
#include <dlib/graph_utils/edge_list_graphs.h>

#include <algorithm>
#include <numeric>

#include "common/pacer.h"

namespace shopdesk::model {

namespace {

// The k most similar other rows of every row, as undirected edges weighted by cosine similarity. The dot
// products are accumulated through each feature's postings, so a row meets only the rows sharing a feature.
std::vector<dlib::sample_pair> neighbourEdges(const std::vector<SparseRow>& rows, std::int32_t features,
                                              const ClusterOptions& options) {
  std::vector<std::vector<std::pair<std::uint32_t, float>>> postings(static_cast<std::size_t>(features));
  for (std::uint32_t r = 0; r < rows.size(); ++r) {
    for (std::size_t k = 0; k < rows[r].indices.size(); ++k)
      postings[static_cast<std::size_t>(rows[r].indices[k])].emplace_back(r, rows[r].values[k]);
  }
  std::vector<dlib::sample_pair> edges;
  std::vector<float> dots(rows.size(), 0.0f);
  std::vector<std::uint32_t> touched;
  std::vector<std::pair<float, std::uint32_t>> candidates;
  for (std::uint32_t r = 0; r < rows.size(); ++r) {
    common::pace();  // a step of the longest loop of topic discovery
    touched.clear();
    for (std::size_t k = 0; k < rows[r].indices.size(); ++k) {
      for (const auto& [other, value] : postings[static_cast<std::size_t>(rows[r].indices[k])]) {
        if (other == r) continue;
        if (dots[other] == 0.0f) touched.push_back(other);
        dots[other] += rows[r].values[k] * value;
      }
    }
    candidates.clear();
    for (const auto other : touched) {
      if (dots[other] >= options.minSimilarity) candidates.emplace_back(dots[other], other);
      dots[other] = 0.0f;
    }
    const auto keep = std::min(candidates.size(), static_cast<std::size_t>(options.neighbors));
    // Ties go to the lower index, so the graph does not depend on the order postings were filled in.
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                      candidates.end(), [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    for (std::size_t i = 0; i < keep; ++i) edges.emplace_back(r, candidates[i].second, candidates[i].first);
  }
  dlib::remove_duplicate_edges(edges);
  return edges;
}

}  // namespace

std::vector<int> clusterRows(const std::vector<SparseRow>& rows, std::int32_t features,
                             const ClusterOptions& options) {
  std::vector<int> labels(rows.size());
  if (rows.empty()) return labels;
  std::vector<dlib::ordered_sample_pair> edges;
  dlib::convert_unordered_to_ordered(neighbourEdges(rows, features, options), edges);
  std::sort(edges.begin(), edges.end(), &dlib::order_by_index<dlib::ordered_sample_pair>);
  std::vector<unsigned long> whispers;
  dlib::rand random(std::to_string(options.seed));
  if (!edges.empty()) dlib::chinese_whispers(edges, whispers, options.iterations, random);

  // Rows past the last one with an edge are not in `whispers`; each is a cluster of its own.
  std::vector<std::size_t> sizes(whispers.size() + rows.size(), 0);
  const auto raw = [&](std::size_t row) {
    return row < whispers.size() ? whispers[row] : whispers.size() + row;
  };
  for (std::size_t r = 0; r < rows.size(); ++r) ++sizes[raw(r)];
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  std::vector<int> rank(sizes.size());
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<int>(i);
  for (std::size_t r = 0; r < rows.size(); ++r) labels[r] = rank[raw(r)];
  return labels;
}

}  // namespace shopdesk::model
