#include "model/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace shopdesk::model {

bool AnswerPolicy::handOff(const std::vector<Ranked>& ranking) const {
  if (ranking.empty() || ranking[0].label == outOfScopeLabel) return true;
  if (ranking[0].probability < threshold) return true;
  return ranking.size() > 1 && ranking[0].probability - ranking[1].probability < ambiguity;
}

nlohmann::json AnswerPolicy::toJson() const {
  return {{"threshold", threshold}, {"ambiguity", ambiguity}, {"out_of_scope_label", outOfScopeLabel}};
}

AnswerPolicy AnswerPolicy::fromJson(const nlohmann::json& json) {
  return {json.at("threshold").get<double>(), json.at("ambiguity").get<double>(),
          json.value("out_of_scope_label", -1)};
}

nlohmann::json PolicyGoals::toJson() const {
  return {{"answer_precision", answerPrecision}, {"out_of_scope_handoff", outOfScopeHandoff}};
}

PolicyGoals PolicyGoals::fromJson(const nlohmann::json& json) {
  PolicyGoals goals;
  goals.answerPrecision = json.value("answer_precision", goals.answerPrecision);
  goals.outOfScopeHandoff = json.value("out_of_scope_handoff", goals.outOfScopeHandoff);
  for (double goal : {goals.answerPrecision, goals.outOfScopeHandoff}) {
    if (!(goal >= 0 && goal <= 1))
      throw std::invalid_argument(fmt::format("policy goal {} is not in [0, 1]", goal));
  }
  return goals;
}

bool PolicyReport::precisionMet() const { return answerPrecision >= goals.answerPrecision - 1e-12; }

bool PolicyReport::outOfScopeMet() const {
  return outOfScope == 0 || outOfScopeRecall >= goals.outOfScopeHandoff - 1e-12;
}

double PolicyReport::value() const {
  const double shortfall = std::max(0.0, goals.answerPrecision - answerPrecision) +
                           (outOfScope ? std::max(0.0, goals.outOfScopeHandoff - outOfScopeRecall) : 0.0);
  return precisionMet() && outOfScopeMet() ? 2.0 + inScopeAccuracy : inScopeAccuracy - 10 * shortfall;
}

nlohmann::json PolicyReport::toJson() const {
  return {{"policy", policy.toJson()},
          {"goals", goals.toJson()},
          {"in_scope", inScope},
          {"out_of_scope", outOfScope},
          {"in_scope_accuracy", inScopeAccuracy},
          {"answer_precision", answerPrecision},
          {"out_of_scope_recall", outOfScopeRecall},
          {"handoff_rate", handoffRate},
          {"precision_met", precisionMet()},
          {"out_of_scope_met", outOfScopeMet()}};
}

namespace {

// What a policy needs of a ranking: the top probability, its lead over the runner-up, and (in scope) whether
// the top label is right. A top of -1 is handed off by every policy.
struct Scored {
  double top;
  double gap;
  bool right;
};

std::vector<Scored> summarize(const std::vector<std::vector<Ranked>>& rankings, const std::vector<int>* truth,
                              int outOfScopeLabel) {
  std::vector<Scored> out;
  out.reserve(rankings.size());
  for (std::size_t i = 0; i < rankings.size(); ++i) {
    const auto& r = rankings[i];
    if (r.empty() || r[0].label == outOfScopeLabel) {
      out.push_back({-1, 0, false});
      continue;
    }
    out.push_back({r[0].probability, r.size() > 1 ? r[0].probability - r[1].probability : 1.0,
                   truth && r[0].label == (*truth)[i]});
  }
  return out;
}

PolicyReport score(const AnswerPolicy& policy, const std::vector<Scored>& inScope,
                   const std::vector<Scored>& outOfScope, const PolicyGoals& goals) {
  // The same comparisons as AnswerPolicy::handOff, on the summaries.
  const auto handOff = [&policy](const Scored& s) {
    return s.top < 0 || s.top < policy.threshold || s.gap < policy.ambiguity;
  };
  PolicyReport report;
  report.policy = policy;
  report.goals = goals;
  report.inScope = static_cast<std::int64_t>(inScope.size());
  report.outOfScope = static_cast<std::int64_t>(outOfScope.size());
  std::int64_t right = 0;
  std::int64_t answered = 0;
  for (const auto& s : inScope) {
    if (handOff(s)) continue;
    ++answered;
    right += s.right;
  }
  std::int64_t caught = 0;
  for (const auto& s : outOfScope) caught += handOff(s);
  if (report.inScope) {
    report.inScopeAccuracy = static_cast<double>(right) / static_cast<double>(report.inScope);
    report.handoffRate = static_cast<double>(report.inScope - answered) / static_cast<double>(report.inScope);
  }
  report.answerPrecision = answered ? static_cast<double>(right) / static_cast<double>(answered) : 1.0;
  if (report.outOfScope)
    report.outOfScopeRecall = static_cast<double>(caught) / static_cast<double>(report.outOfScope);
  return report;
}

}  // namespace

PolicyReport scorePolicy(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                         const std::vector<int>& truth, const std::vector<std::vector<Ranked>>& outOfScope,
                         const PolicyGoals& goals) {
  return score(policy, summarize(inScope, &truth, policy.outOfScopeLabel),
               summarize(outOfScope, nullptr, policy.outOfScopeLabel), goals);
}

PolicyReport tunePolicy(const std::vector<std::vector<Ranked>>& inScope, const std::vector<int>& truth,
                        const std::vector<std::vector<Ranked>>& outOfScope, const PolicyGoals& goals,
                        int outOfScopeLabel) {
  const auto in = summarize(inScope, &truth, outOfScopeLabel);
  const auto out = summarize(outOfScope, nullptr, outOfScopeLabel);
  PolicyReport best;
  double bestScore = 0;
  bool found = false;
  for (int t = 0; t <= 99; ++t) {
    for (int a = 0; a <= 25; ++a) {
      const auto report = score({t / 100.0, a / 50.0, outOfScopeLabel}, in, out, goals);
      const double value = report.value();
      // Ties: more out-of-scope queries handed off, then the earlier (lower) threshold and gap.
      if (!found || value > bestScore + 1e-12 ||
          (value > bestScore - 1e-12 && report.outOfScopeRecall > best.outOfScopeRecall + 1e-12)) {
        best = report;
        bestScore = value;
        found = true;
      }
    }
  }
  return best;
}

}  // namespace shopdesk::model
