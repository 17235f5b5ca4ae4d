#include "model/length_batches.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace shopdesk::model {

std::vector<std::size_t> splitByLength(const std::vector<std::size_t>& sortedLengths, std::size_t maxRows,
                                       double overheadTokens) {
  if (maxRows == 0) throw std::invalid_argument("splitByLength: maxRows must be positive");
  const std::size_t n = sortedLengths.size();
  // cost[i]: the cheapest way to run the first i texts; a pass over texts j..i-1 pads them to the last one.
  std::vector<double> cost(n + 1, std::numeric_limits<double>::infinity());
  std::vector<std::size_t> cut(n + 1, 0);
  cost[0] = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = i > maxRows ? i - maxRows : 0; j < i; ++j) {
      const double c = cost[j] + static_cast<double>((i - j) * sortedLengths[i - 1]) + overheadTokens;
      if (c < cost[i]) {
        cost[i] = c;
        cut[i] = j;
      }
    }
  }
  std::vector<std::size_t> ends;
  for (std::size_t i = n; i > 0; i = cut[i]) ends.insert(ends.begin(), i);
  return ends;
}

std::vector<std::vector<std::size_t>> shareByLength(const std::vector<std::size_t>& lengths,
                                                    std::size_t workers) {
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  const auto byLength = [&](std::size_t a, std::size_t b) { return lengths[a] < lengths[b]; };
  std::stable_sort(order.begin(), order.end(), byLength);
  const auto total = std::accumulate(lengths.begin(), lengths.end(), std::size_t{0});
  if (workers <= 1 || order.size() <= 1 || lengths[order.back()] * workers > total) return {order};
  std::vector<std::vector<std::size_t>> groups(workers);
  std::vector<std::size_t> load(workers, 0);
  for (auto i = order.rbegin(); i != order.rend(); ++i) {
    const auto w = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    groups[w].push_back(*i);
    load[w] += lengths[*i];
  }
  for (auto& group : groups) std::reverse(group.begin(), group.end());
  return groups;
}

}  // namespace shopdesk::model
