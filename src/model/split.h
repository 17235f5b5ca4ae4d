#pragma once

#include <cstdint>
#include <vector>

namespace shopdesk::model {

//! Indices of the examples in each part of a split.
struct Split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> validation;
  std::vector<std::size_t> test;
};

//! Splits examples by label so every part keeps the label proportions; the same labels and seed always give
//! the same split. Each label keeps at least one example for training; a label with n examples gives round(n
//! × fraction) to validation and test, but never leaves training empty. Throws std::invalid_argument for
//! fractions outside [0, 1) or summing to 1 or more.
Split stratifiedSplit(const std::vector<int>& labels, double validationFraction, double testFraction,
                      std::uint64_t seed);

}  // namespace shopdesk::model
