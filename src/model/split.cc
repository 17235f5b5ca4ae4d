#include "model/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

namespace shopdesk::model {

Split stratifiedSplit(const std::vector<int>& labels, double validationFraction, double testFraction,
                      std::uint64_t seed) {
  if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
    throw std::invalid_argument("split fractions must be at least 0 and sum to less than 1");
  }
  std::map<int, std::vector<std::size_t>> byLabel;
  for (std::size_t i = 0; i < labels.size(); ++i) byLabel[labels[i]].push_back(i);

  // mt19937_64 is specified bit for bit by the standard; the shuffle is written out because std::shuffle and
  // the distributions are not, and a split must not change with the standard library.
  std::mt19937_64 rng(seed);
  Split split;
  for (auto& [label, indices] : byLabel) {
    for (std::size_t i = indices.size(); i > 1; --i) std::swap(indices[i - 1], indices[rng() % i]);
    const auto n = static_cast<double>(indices.size());
    std::size_t test = static_cast<std::size_t>(std::lround(n * testFraction));
    std::size_t validation = static_cast<std::size_t>(std::lround(n * validationFraction));
    while (test + validation >= indices.size() && test + validation > 0) {
      (test >= validation ? test : validation) -= 1;
    }
    split.test.insert(split.test.end(), indices.begin(), indices.begin() + static_cast<std::ptrdiff_t>(test));
    split.validation.insert(split.validation.end(), indices.begin() + static_cast<std::ptrdiff_t>(test),
                            indices.begin() + static_cast<std::ptrdiff_t>(test + validation));
    split.train.insert(split.train.end(), indices.begin() + static_cast<std::ptrdiff_t>(test + validation),
                       indices.end());
  }
  for (auto* part : {&split.train, &split.validation, &split.test}) std::sort(part->begin(), part->end());
  return split;
}

}  // namespace shopdesk::model
