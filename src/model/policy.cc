#include "model/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>

namespace shopdesk::model {

namespace {

// What a policy needs of a ranking: its best category's probability and lead over the next category, the
// out-of-scope label's probability and (in scope) whether the best category is right. A top of -1 (no
// category at all) is handed off by every policy.
struct Scored {
  double top;
  double gap;
  double outOfScope;
  bool right;
};

// One pass over `ranking` (best first), with no copy: it is read on every answer.
Scored scoreRanking(const std::vector<Ranked>& ranking, int outOfScopeLabel, int truth) {
  const Ranked* first = nullptr;
  const Ranked* second = nullptr;
  double outOfScope = 0;
  for (const auto& r : ranking) {
    if (r.label == outOfScopeLabel) {
      outOfScope = r.probability;
    } else if (!first) {
      first = &r;
    } else if (!second) {
      second = &r;
    }
  }
  if (!first) return {-1, 0, 1, false};
  return {first->probability, second ? first->probability - second->probability : 1.0, outOfScope,
          first->label == truth};
}

bool handsOff(const AnswerPolicy& policy, const Scored& s) {
  return s.top < 0 || s.top < policy.threshold || s.gap < policy.ambiguity ||
         s.outOfScope > policy.outOfScopeCeiling;
}

}  // namespace

std::vector<Ranked> categoryRanking(const std::vector<Ranked>& ranking, int outOfScopeLabel) {
  std::vector<Ranked> out;
  out.reserve(ranking.size());
  for (const auto& r : ranking) {
    if (r.label != outOfScopeLabel) out.push_back(r);
  }
  return out;
}

bool AnswerPolicy::handOff(const std::vector<Ranked>& ranking) const {
  return handsOff(*this, scoreRanking(ranking, outOfScopeLabel, -1));
}

nlohmann::json AnswerPolicy::toJson() const {
  return {{"threshold", threshold},
          {"ambiguity", ambiguity},
          {"out_of_scope_label", outOfScopeLabel},
          {"out_of_scope_ceiling", outOfScopeCeiling},
          {"clarify_mass", clarifyMass}};
}

AnswerPolicy AnswerPolicy::fromJson(const nlohmann::json& json) {
  // Models saved before clarifying questions never ask.
  return {json.at("threshold").get<double>(), json.at("ambiguity").get<double>(),
          json.value("out_of_scope_label", -1), json.value("out_of_scope_ceiling", 1.0),
          json.value("clarify_mass", 2.0)};
}

nlohmann::json PolicyGoals::toJson() const {
  return {{"answer_precision", answerPrecision},
          {"out_of_scope_handoff", outOfScopeHandoff},
          {"clarify_usefulness", clarifyUsefulness}};
}

PolicyGoals PolicyGoals::fromJson(const nlohmann::json& json) {
  PolicyGoals goals;
  goals.answerPrecision = json.value("answer_precision", goals.answerPrecision);
  goals.outOfScopeHandoff = json.value("out_of_scope_handoff", goals.outOfScopeHandoff);
  goals.clarifyUsefulness = json.value("clarify_usefulness", goals.clarifyUsefulness);
  for (double goal : {goals.answerPrecision, goals.outOfScopeHandoff, goals.clarifyUsefulness}) {
    if (!(goal >= 0 && goal <= 1))
      throw std::invalid_argument(fmt::format("policy goal {} is not in [0, 1]", goal));
  }
  return goals;
}

bool PolicyReport::precisionMet() const { return answerPrecision >= goals.answerPrecision - 1e-12; }

bool PolicyReport::outOfScopeMet() const {
  return outOfScope == 0 || outOfScopeRecall >= goals.outOfScopeHandoff - 1e-12;
}

namespace {

// The lower end of the Wilson score interval of a share `p` measured on `n` queries (1 when there are none).
double wilsonLower(double p, std::int64_t n) {
  if (n == 0) return 1.0;
  constexpr double z = 1.0;
  const double m = static_cast<double>(n);
  const double centre = p + z * z / (2 * m);
  const double spread = z * std::sqrt(p * (1 - p) / m + z * z / (4 * m * m));
  return (centre - spread) / (1 + z * z / m);
}

}  // namespace

double PolicyReport::value() const {
  const double shortfall =
      std::max(0.0, goals.answerPrecision - wilsonLower(answerPrecision, answered)) +
      (outOfScope ? std::max(0.0, goals.outOfScopeHandoff - wilsonLower(outOfScopeRecall, outOfScope)) : 0.0);
  return shortfall <= 1e-12 ? 2.0 + inScopeAccuracy : inScopeAccuracy - 10 * shortfall;
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
          {"answered", answered},
          {"precision_met", precisionMet()},
          {"out_of_scope_met", outOfScopeMet()},
          {"clarification", clarify.toJson()}};
}

std::vector<Ranked> clarifyChoices(const AnswerPolicy& policy, const std::vector<Ranked>& ranking) {
  if (policy.clarifyMass > 1 || !policy.handOff(ranking)) return {};
  std::vector<Ranked> choices;
  double mass = 0;
  for (const auto& r : ranking) {
    if (r.label == policy.outOfScopeLabel) continue;
    if (choices.size() == kClarifyOptions || (!choices.empty() && r.probability < kClarifyMinimum)) break;
    choices.push_back(r);
    mass += r.probability;
  }
  if (choices.empty() || mass < policy.clarifyMass) return {};
  return choices;
}

double ClarifyReport::usefulness() const {
  const auto questions = asked + outOfScopeAsked;
  return questions ? static_cast<double>(recovered) / static_cast<double>(questions) : 1.0;
}

nlohmann::json ClarifyReport::toJson() const {
  return {{"mass", mass},
          {"handed_off", handedOff},
          {"asked", asked},
          {"recovered", recovered},
          {"out_of_scope_handed_off", outOfScopeHandedOff},
          {"out_of_scope_asked", outOfScopeAsked},
          {"usefulness", usefulness()}};
}

namespace {

// A question handed off, as a clarifying question would see it: the mass its choices hold (-1 when it has
// none) and whether its category is among them.
struct Unsure {
  double mass;
  bool offered;
};

std::vector<Unsure> unsure(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& rankings,
                           const std::vector<int>* truth) {
  AnswerPolicy asking = policy;
  asking.clarifyMass = 0;
  std::vector<Unsure> out;
  for (std::size_t i = 0; i < rankings.size(); ++i) {
    if (!policy.handOff(rankings[i])) continue;
    const auto choices = clarifyChoices(asking, rankings[i]);
    Unsure u{choices.empty() ? -1.0 : 0.0, false};
    for (const auto& c : choices) {
      u.mass += c.probability;
      u.offered = u.offered || (truth && c.label == (*truth)[i]);
    }
    out.push_back(u);
  }
  return out;
}

ClarifyReport clarifyReport(double mass, const std::vector<Unsure>& in, const std::vector<Unsure>& out) {
  ClarifyReport report;
  report.mass = mass;
  report.handedOff = static_cast<std::int64_t>(in.size());
  report.outOfScopeHandedOff = static_cast<std::int64_t>(out.size());
  for (const auto& u : in) {
    if (u.mass < 0 || u.mass < mass) continue;
    ++report.asked;
    report.recovered += u.offered;
  }
  for (const auto& u : out) report.outOfScopeAsked += u.mass >= 0 && u.mass >= mass;
  return report;
}

}  // namespace

ClarifyReport scoreClarification(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                                 const std::vector<int>& truth,
                                 const std::vector<std::vector<Ranked>>& outOfScope) {
  return clarifyReport(policy.clarifyMass, unsure(policy, inScope, &truth),
                       unsure(policy, outOfScope, nullptr));
}

ClarifyReport tuneClarification(AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                                const std::vector<int>& truth,
                                const std::vector<std::vector<Ranked>>& outOfScope,
                                const PolicyGoals& goals) {
  const auto in = unsure(policy, inScope, &truth);
  const auto out = unsure(policy, outOfScope, nullptr);
  ClarifyReport best = clarifyReport(2.0, in, out);
  // From the highest mass down, so that among equals the one asking least is kept.
  for (int k = 100; k >= 0; --k) {
    const auto candidate = clarifyReport(k / 100.0, in, out);
    const bool useful = wilsonLower(candidate.usefulness(), candidate.asked + candidate.outOfScopeAsked) >=
                        goals.clarifyUsefulness - 1e-12;
    if (useful && candidate.recovered > best.recovered) best = candidate;
  }
  policy.clarifyMass = best.mass;
  return best;
}

namespace {

std::vector<Scored> summarize(const std::vector<std::vector<Ranked>>& rankings, const std::vector<int>* truth,
                              int outOfScopeLabel) {
  std::vector<Scored> out;
  out.reserve(rankings.size());
  for (std::size_t i = 0; i < rankings.size(); ++i)
    out.push_back(scoreRanking(rankings[i], outOfScopeLabel, truth ? (*truth)[i] : -1));
  return out;
}

PolicyReport report(const AnswerPolicy& policy, const PolicyGoals& goals, std::int64_t inScope,
                    std::int64_t outOfScope, std::int64_t answered, std::int64_t right, std::int64_t caught) {
  PolicyReport out;
  out.policy = policy;
  out.goals = goals;
  out.inScope = inScope;
  out.outOfScope = outOfScope;
  out.answered = answered;
  if (inScope) {
    out.inScopeAccuracy = static_cast<double>(right) / static_cast<double>(inScope);
    out.handoffRate = static_cast<double>(inScope - answered) / static_cast<double>(inScope);
  }
  out.answerPrecision = answered ? static_cast<double>(right) / static_cast<double>(answered) : 1.0;
  if (outOfScope) out.outOfScopeRecall = static_cast<double>(caught) / static_cast<double>(outOfScope);
  return out;
}

PolicyReport score(const AnswerPolicy& policy, const std::vector<Scored>& inScope,
                   const std::vector<Scored>& outOfScope, const PolicyGoals& goals) {
  std::int64_t right = 0;
  std::int64_t answered = 0;
  for (const auto& s : inScope) {
    if (handsOff(policy, s)) continue;
    ++answered;
    right += s.right;
  }
  std::int64_t caught = 0;
  for (const auto& s : outOfScope) caught += handsOff(policy, s);
  return report(policy, goals, static_cast<std::int64_t>(inScope.size()),
                static_cast<std::int64_t>(outOfScope.size()), answered, right, caught);
}

constexpr int kThresholds = 100;  // 0.00, 0.01, …, 0.99
constexpr int kGaps = 26;         // 0.00, 0.02, …, 0.50

// The ceilings tried: none, and 80 steps of 10^0.05 up from 1e-4. Out-of-scope probabilities of in-scope
// questions are mostly far below 1%, so the useful ceilings are spread on a log scale.
std::vector<double> ceilings(bool withOutOfScope) {
  std::vector<double> out{1.0};
  if (!withOutOfScope) return out;
  for (int i = 0; i < 80; ++i) out.push_back(std::pow(10.0, -4.0 + i / 20.0));
  return out;
}

// The highest grid threshold that `top` reaches (`top` >= 0).
int thresholdIndex(double top) {
  int k = std::clamp(static_cast<int>(top * 100), 0, kThresholds - 1);
  while (k > 0 && k / 100.0 > top) --k;
  while (k + 1 < kThresholds && (k + 1) / 100.0 <= top) ++k;
  return k;
}

}  // namespace

PolicyReport scorePolicy(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                         const std::vector<int>& truth, const std::vector<std::vector<Ranked>>& outOfScope,
                         const PolicyGoals& goals) {
  auto report = score(policy, summarize(inScope, &truth, policy.outOfScopeLabel),
                      summarize(outOfScope, nullptr, policy.outOfScopeLabel), goals);
  report.clarify = scoreClarification(policy, inScope, truth, outOfScope);
  return report;
}

PolicyReport tunePolicy(const std::vector<std::vector<Ranked>>& inScope, const std::vector<int>& truth,
                        const std::vector<std::vector<Ranked>>& outOfScope, const PolicyGoals& goals,
                        int outOfScopeLabel) {
  const auto in = summarize(inScope, &truth, outOfScopeLabel);
  const auto out = summarize(outOfScope, nullptr, outOfScopeLabel);
  const auto nIn = static_cast<std::int64_t>(in.size());
  const auto nOut = static_cast<std::int64_t>(out.size());
  // For each gap and ceiling, every threshold at once: a query that passes the gap and the ceiling is
  // answered by the thresholds up to the highest one its top probability reaches, so counts per highest
  // threshold, summed from the top down, give the counts of each threshold.
  // Ties: more out-of-scope queries handed off, then the lower threshold and gap, the higher ceiling.
  const auto rank = [](const PolicyReport& r) {
    return std::tuple(r.outOfScopeRecall, -r.policy.threshold, -r.policy.ambiguity,
                      r.policy.outOfScopeCeiling);
  };
  PolicyReport best;
  double bestValue = 0;
  bool found = false;
  for (double ceiling : ceilings(outOfScopeLabel >= 0 && !out.empty())) {
    for (int a = 0; a < kGaps; ++a) {
      const double gap = a / 50.0;
      std::array<std::int64_t, kThresholds> answered{}, right{}, missed{};
      const auto passes = [&](const Scored& s) {
        return s.top >= 0 && s.gap >= gap && s.outOfScope <= ceiling;
      };
      for (const auto& s : in) {
        if (!passes(s)) continue;
        const int k = thresholdIndex(s.top);
        ++answered[k];
        right[k] += s.right;
      }
      for (const auto& s : out) {
        if (passes(s)) ++missed[thresholdIndex(s.top)];
      }
      for (int k = kThresholds - 2; k >= 0; --k) {
        answered[k] += answered[k + 1];
        right[k] += right[k + 1];
        missed[k] += missed[k + 1];
      }
      for (int k = 0; k < kThresholds; ++k) {
        const auto candidate = report({k / 100.0, gap, outOfScopeLabel, ceiling}, goals, nIn, nOut,
                                      answered[k], right[k], nOut - missed[k]);
        const double value = candidate.value();
        if (!found || value > bestValue + 1e-12 ||
            (value > bestValue - 1e-12 && rank(candidate) > rank(best))) {
          best = candidate;
          bestValue = value;
          found = true;
        }
      }
    }
  }
  // The report of the policy chosen, counted the way scorePolicy counts.
  auto chosen = score(best.policy, in, out, goals);
  chosen.clarify = tuneClarification(chosen.policy, inScope, truth, outOfScope, goals);
  return chosen;
}

}  // namespace shopdesk::model
