#include "model/policy.h"

#include <nlohmann/json.hpp>

namespace shopdesk::model {

bool AnswerPolicy::handOff(const std::vector<Ranked>& ranking) const {
  if (ranking.empty()) return true;
  if (ranking[0].probability < threshold) return true;
  return ranking.size() > 1 && ranking[0].probability - ranking[1].probability < ambiguity;
}

nlohmann::json AnswerPolicy::toJson() const { return {{"threshold", threshold}, {"ambiguity", ambiguity}}; }

AnswerPolicy AnswerPolicy::fromJson(const nlohmann::json& json) {
  return {json.at("threshold").get<double>(), json.at("ambiguity").get<double>()};
}

nlohmann::json PolicyReport::toJson() const {
  return {{"policy", policy.toJson()},
          {"in_scope", inScope},
          {"out_of_scope", outOfScope},
          {"in_scope_accuracy", inScopeAccuracy},
          {"out_of_scope_recall", outOfScopeRecall},
          {"handoff_rate", handoffRate}};
}

PolicyReport scorePolicy(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                         const std::vector<int>& truth, const std::vector<std::vector<Ranked>>& outOfScope) {
  PolicyReport report;
  report.policy = policy;
  report.inScope = static_cast<std::int64_t>(inScope.size());
  report.outOfScope = static_cast<std::int64_t>(outOfScope.size());
  std::int64_t right = 0;
  std::int64_t handedOff = 0;
  for (std::size_t i = 0; i < inScope.size(); ++i) {
    if (policy.handOff(inScope[i])) {
      ++handedOff;
    } else {
      right += inScope[i][0].label == truth[i];
    }
  }
  std::int64_t caught = 0;
  for (const auto& ranking : outOfScope) caught += policy.handOff(ranking);
  if (report.inScope) {
    report.inScopeAccuracy = static_cast<double>(right) / static_cast<double>(report.inScope);
    report.handoffRate = static_cast<double>(handedOff) / static_cast<double>(report.inScope);
  }
  if (report.outOfScope)
    report.outOfScopeRecall = static_cast<double>(caught) / static_cast<double>(report.outOfScope);
  return report;
}

PolicyReport tunePolicy(const std::vector<std::vector<Ranked>>& inScope, const std::vector<int>& truth,
                        const std::vector<std::vector<Ranked>>& outOfScope) {
  PolicyReport best = scorePolicy({0.0, 0.0}, inScope, truth, outOfScope);
  double bestScore = -1;
  for (int t = 0; t <= 95; ++t) {
    for (int a = 0; a <= 25; ++a) {
      const AnswerPolicy policy{t / 100.0, a / 50.0};
      const auto report = scorePolicy(policy, inScope, truth, outOfScope);
      // Right decisions on in-scope queries: answered right, or handed off when the answer would be wrong.
      std::int64_t good = 0;
      for (std::size_t i = 0; i < inScope.size(); ++i) {
        good +=
            policy.handOff(inScope[i]) ? inScope[i][0].label != truth[i] : inScope[i][0].label == truth[i];
      }
      const double inScopeScore =
          inScope.empty() ? 0 : static_cast<double>(good) / static_cast<double>(inScope.size());
      const double score =
          outOfScope.empty() ? inScopeScore : 0.5 * inScopeScore + 0.5 * report.outOfScopeRecall;
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = report;
      }
    }
  }
  return best;
}

}  // namespace shopdesk::model
