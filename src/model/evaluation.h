#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/classifier.h"

namespace shopdesk::model {

//! Precision, recall and F1 of one category, and the category its examples are most often mistaken for.
struct CategoryMetrics {
  std::string name;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::int64_t support = 0;  //!< examples whose true category this is
  std::optional<std::string> mostConfusedWith;
  std::int64_t confusedCount = 0;
};

//! How a classifier did on a labelled set of examples.
struct Evaluation {
  std::int64_t examples = 0;
  double accuracy = 0;
  double macroF1 =
      0;  //!< mean F1 over categories that occur as truth or as prediction (out_of_scope: as truth)
  double expectedCalibrationError = 0;
  std::vector<std::string> labels;
  std::vector<CategoryMetrics> categories;           //!< in label order
  std::vector<std::vector<std::int64_t>> confusion;  //!< [true][predicted]
  std::vector<std::int64_t> confidenceRight;         //!< histogram of top probabilities, 10 bins over [0, 1]
  std::vector<std::int64_t> confidenceWrong;

  //! The report as JSON with top-level `accuracy` and `macro_f1`.
  nlohmann::json toJson() const;
  //! A readable table for the command line.
  std::string summary() const;
};

//! Scores predictions against the truth; `confidence[i]` is the probability given to `predicted[i]`.
//! Throws std::invalid_argument when the lengths differ or a label index is out of range.
Evaluation evaluate(const std::vector<std::string>& labels, const std::vector<int>& truth,
                    const std::vector<int>& predicted, const std::vector<float>& confidence);

//! Scores rankings: each predicts its top label, or with `outOfScopeLabel` >= 0 its best category
//! (categoryRanking), since that label is never an answer; use it for truths that are all categories.
Evaluation evaluateRankings(const std::vector<std::string>& labels,
                            const std::vector<std::vector<Ranked>>& rankings, const std::vector<int>& truth,
                            int outOfScopeLabel = -1);

}  // namespace shopdesk::model
