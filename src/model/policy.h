#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "model/classifier.h"

namespace shopdesk::model {

//! The label a model trained with out-of-scope examples gives a question no category covers. It is no
//! category: an answer with it goes to a person.
inline constexpr const char* kOutOfScopeLabel = "out_of_scope";

//! `ranking` without `outOfScopeLabel`: the categories a question may be answered with, best first. The
//! out-of-scope label is never an answer (nor the category an interaction is filed under); its probability
//! is a reason to hand off, read by AnswerPolicy::outOfScopeCeiling. Learning it as a label still helps the
//! categories: it draws off what the questions no category covers have in common.
std::vector<Ranked> categoryRanking(const std::vector<Ranked>& ranking, int outOfScopeLabel);

//! When to answer and when to hand a query to a person.
struct AnswerPolicy {
  double threshold = 0.5;    //!< lowest acceptable top probability
  double ambiguity = 0.0;    //!< smallest acceptable gap between the top two probabilities
  int outOfScopeLabel = -1;  //!< the index of kOutOfScopeLabel when the model has it, or -1
  //! Highest acceptable probability of kOutOfScopeLabel (1: no limit). The out-of-scope score is a detector
  //! of its own: a question can lead with a category and still look much like the queries no category covers.
  double outOfScopeCeiling = 1.0;
  //! Lowest probability the categories offered must hold together for an unsure answer to ask "did you
  //! mean …?" instead of handing off (above 1: never asks). See clarifyChoices.
  double clarifyMass = 2.0;

  //! True when the model is unsure of `ranking`'s best category (too unlikely, too close to the next one) or
  //! finds the question too much like those no category covers, and a person should answer.
  bool handOff(const std::vector<Ranked>& ranking) const;

  nlohmann::json toJson() const;
  static AnswerPolicy fromJson(const nlohmann::json& json);
};

//! What a policy is tuned for: as many in-scope questions answered right as possible, while the answers given
//! stay precise and questions no category covers go to a person.
struct PolicyGoals {
  double answerPrecision = 0.95;    //!< lowest share of right answers among the in-scope questions answered
  double outOfScopeHandoff = 0.85;  //!< lowest share of out-of-scope questions handed off
  //! Lowest share of "did you mean …?" questions that offer the asker's category. One that misses costs the
  //! customer a click before the hand-off; one that hits saves them the wait for a person, and the store an
  //! agent's time: worth asking when one question in three helps.
  double clarifyUsefulness = 1.0 / 3.0;

  nlohmann::json toJson() const;
  //! Goals from JSON; a missing field keeps its default. Throws std::invalid_argument outside [0, 1].
  static PolicyGoals fromJson(const nlohmann::json& json);
};

//! How many categories an unsure answer offers at most.
inline constexpr std::size_t kClarifyOptions = 3;
//! The least probability a category needs to be offered beside the best one.
inline constexpr double kClarifyMinimum = 0.05;

//! The categories an answer offers instead of handing off: empty unless `policy` hands `ranking` (the
//! model's, with the out-of-scope label) off. Then the best category and the next ones up to kClarifyOptions
//! with at least kClarifyMinimum each, if together they hold at least policy.clarifyMass.
std::vector<Ranked> clarifyChoices(const AnswerPolicy& policy, const std::vector<Ranked>& ranking);

//! What asking "did you mean …?" does to the questions a policy hands off, with a customer who picks their
//! category when it is offered and "something else" otherwise (so it adds no wrong answer; a real customer
//! asked about a question no category covers could still pick one, hence outOfScopeAsked).
struct ClarifyReport {
  double mass = 2.0;           //!< the policy's clarifyMass
  std::int64_t handedOff = 0;  //!< in-scope questions the policy hands off
  std::int64_t asked = 0;      //!< of them, those asked instead
  std::int64_t recovered = 0;  //!< of those, offered their category: hand-offs turned into right answers
  std::int64_t outOfScopeHandedOff = 0;
  std::int64_t outOfScopeAsked = 0;  //!< of them, those asked instead

  //! Share of the questions asked (in and out of scope) that offered the asker's category (1 when none is).
  double usefulness() const;
  nlohmann::json toJson() const;
};

//! Scores `policy`'s clarifying questions; `truth[i]` is the label of `inScope[i]`.
ClarifyReport scoreClarification(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                                 const std::vector<int>& truth,
                                 const std::vector<std::vector<Ranked>>& outOfScope);

//! Sets policy.clarifyMass to the one that turns the most hand-offs into right answers while the questions
//! asked stay useful (the lower end of the Wilson interval of usefulness() reaches goals.clarifyUsefulness);
//! then the highest such mass. Never asks when no mass recovers a question. Returns the report of the mass
//! set.
ClarifyReport tuneClarification(AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                                const std::vector<int>& truth,
                                const std::vector<std::vector<Ranked>>& outOfScope, const PolicyGoals& goals);

//! How a policy does on in-scope queries (with their true labels) and out-of-scope ones.
struct PolicyReport {
  AnswerPolicy policy;
  PolicyGoals goals;
  std::int64_t inScope = 0;
  std::int64_t outOfScope = 0;
  double inScopeAccuracy =
      0;  //!< in-scope queries answered with the right category (hand-offs count as misses)
  double answerPrecision = 0;   //!< right answers among the in-scope queries answered (1 when none is)
  double outOfScopeRecall = 0;  //!< out-of-scope queries handed off
  double handoffRate = 0;       //!< of in-scope queries
  std::int64_t answered = 0;    //!< in-scope queries answered
  ClarifyReport clarify;        //!< what asking before handing off adds

  bool precisionMet() const;
  bool outOfScopeMet() const;  //!< true when there were no out-of-scope queries
  //! How well the policy serves customers, what tunePolicy maximizes: above 2 when both goals are met with
  //! confidence (plus the share answered right), below 1 otherwise (the share answered right minus ten times
  //! the shortfalls). "With confidence": the lower end of the Wilson interval (z = 1) of the precision and of
  //! the out-of-scope share reaches the goal, so a policy tuned on a few hundred queries keeps a margin that
  //! one tuned on thousands does not need.
  double value() const;
  nlohmann::json toJson() const;
};

//! Scores `policy`; `truth[i]` is the label of `inScope[i]`.
PolicyReport scorePolicy(const AnswerPolicy& policy, const std::vector<std::vector<Ranked>>& inScope,
                         const std::vector<int>& truth, const std::vector<std::vector<Ranked>>& outOfScope,
                         const PolicyGoals& goals = {});

//! Picks threshold, ambiguity and (with `outOfScopeLabel`) the out-of-scope ceiling on a grid: among the
//! policies that meet both goals, the one that answers the most in-scope queries right (then the one that
//! hands off the most out-of-scope ones, then the lowest threshold and gap and the highest ceiling). When
//! none meets them, the one closest to meeting them: the largest share answered right minus ten times the
//! goals' shortfalls. Each ranking is read through categoryRanking. Then the clarify mass, by
//! tuneClarification (which leaves what is answered and handed off as it is).
PolicyReport tunePolicy(const std::vector<std::vector<Ranked>>& inScope, const std::vector<int>& truth,
                        const std::vector<std::vector<Ranked>>& outOfScope, const PolicyGoals& goals = {},
                        int outOfScopeLabel = -1);

}  // namespace shopdesk::model
