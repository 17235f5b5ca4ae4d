#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "model/classifier.h"

namespace shopdesk::model {

//! When to answer and when to hand a query to a person.
struct AnswerPolicy {
  double threshold = 0.5;  //!< lowest acceptable top probability
  double ambiguity = 0.0;  //!< smallest acceptable gap between the top two probabilities

  //! True when the model is unsure of `ranking` and a person should answer.
  bool handOff(const std::vector<Ranked>& ranking) const;

  nlohmann::json toJson() const;
  static AnswerPolicy fromJson(const nlohmann::json& json);
};

//! How a policy does on in-scope queries (with their true labels) and out-of-scope ones.
struct PolicyReport {
  AnswerPolicy policy;
  std::int64_t inScope = 0;
  std::int64_t outOfScope = 0;
  double inScopeAccuracy =
      0;  //!< in-scope queries answered with the right category (hand-offs count as misses)
  double outOfScopeRecall = 0;  //!< out-of-scope queries handed off
  double handoffRate = 0;       //!< of in-scope queries

  nlohmann::json toJson() const;
};

//! Scores `policy`; `truth[i]` is the label of `inScope[i]`.
PolicyReport scorePolicy(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                         const std::vector<int>& truth, const std::vector<std::vector<Ranked>>& outOfScope);

//! Picks threshold and ambiguity on a grid to maximise the share of right decisions: an in-scope query
//! answered correctly, a wrongly classified one handed off, an out-of-scope one handed off; in-scope and
//! out-of-scope weigh half each when both are present.
PolicyReport tunePolicy(const std::vector<std::vector<Ranked>>& inScope, const std::vector<int>& truth,
                        const std::vector<std::vector<Ranked>>& outOfScope);

}  // namespace shopdesk::model
