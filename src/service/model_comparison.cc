#include "service/model_comparison.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <tuple>

#include "model/policy.h"

namespace shopdesk::service {

namespace {

constexpr std::size_t kExamples = 20;

struct Reply {
  std::string category;
  bool handoff = false;
};

std::vector<Reply> replay(const model::LoadedModel& model, const std::vector<store::Interaction>& questions) {
  std::vector<std::string> texts;
  texts.reserve(questions.size());
  for (const auto& q : questions) texts.push_back(q.query);
  const auto& policy = model.card.policy;
  std::vector<Reply> out;
  out.reserve(texts.size());
  for (const auto& ranking : model.classifier->predict(texts)) {
    const auto categories = model::categoryRanking(ranking, policy.outOfScopeLabel);
    out.push_back({categories.empty() ? "" : model.classifier->labels().at(categories.front().label),
                   policy.handOff(ranking)});
  }
  return out;
}

// The right category of a labelled interaction: the agent's review wins over the customer's word.
std::string truthOf(const store::Interaction& i) {
  if ((i.review == "resolved" || i.review == "relabeled") && i.reviewedCategory) return *i.reviewedCategory;
  if (i.feedback && i.feedback->correctedCategory) return *i.feedback->correctedCategory;
  return i.category;  // rated helpful
}

double share(std::int64_t part, std::int64_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

ChangedAnswer changed(const store::Interaction& i, const std::string& truth, const Reply& a, const Reply& c) {
  return {i.id, i.query, truth, a.category, c.category};
}

nlohmann::json toJson(const ChangedAnswer& c) {
  return {{"interaction_id", c.interactionId},
          {"query", c.query},
          {"truth", c.truth},
          {"active", c.active},
          {"candidate", c.candidate}};
}

}  // namespace

nlohmann::json ModelComparison::toJson() const {
  nlohmann::json right = nlohmann::json::array();
  nlohmann::json wrong = nlohmann::json::array();
  for (const auto& c : newlyRight) right.push_back(service::toJson(c));
  for (const auto& c : newlyWrong) wrong.push_back(service::toJson(c));
  return {{"active", active},
          {"candidate", candidate},
          {"labelled", labelled},
          {"active_accuracy", activeAccuracy},
          {"candidate_accuracy", candidateAccuracy},
          {"traffic", traffic},
          {"changed", changed},
          {"active_handoff_rate", activeHandoff},
          {"candidate_handoff_rate", candidateHandoff},
          {"newly_right", right},
          {"newly_wrong", wrong}};
}

ModelComparer::ModelComparer(store::Store& store, ModelRegistry& registry)
    : store_(store), registry_(registry) {}

ModelComparison ModelComparer::compareWithActive(const std::string& candidate, std::int64_t limit) {
  const auto activeVersion = store_.activeModelVersion();
  if (!activeVersion) throw store::ConflictError("no version is active to compare with");
  ModelComparison out;
  out.active = activeVersion->version;
  out.candidate = registry_.find(candidate).version;
  const auto active = registry_.load(out.active);
  const auto proposed = registry_.load(out.candidate);

  // The newest `limit` questions (labelled ones only, or all), as each version answers them.
  const auto replayed = [&](bool labelled) {
    store::InteractionFilter filter;
    filter.limit = limit;
    filter.labelled = labelled;
    auto questions = store_.findInteractions(filter).items;
    auto a = replay(active, questions);
    auto c = replay(proposed, questions);
    return std::tuple(std::move(questions), std::move(a), std::move(c));
  };
  const auto [labelled, a, c] = replayed(true);
  std::int64_t activeRight = 0;
  std::int64_t candidateRight = 0;
  for (std::size_t i = 0; i < labelled.size(); ++i) {
    const auto truth = truthOf(labelled[i]);
    const bool activeOk = a[i].category == truth;
    const bool candidateOk = c[i].category == truth;
    activeRight += activeOk;
    candidateRight += candidateOk;
    if (candidateOk && !activeOk && out.newlyRight.size() < kExamples)
      out.newlyRight.push_back(changed(labelled[i], truth, a[i], c[i]));
    if (activeOk && !candidateOk && out.newlyWrong.size() < kExamples)
      out.newlyWrong.push_back(changed(labelled[i], truth, a[i], c[i]));
  }
  out.labelled = static_cast<std::int64_t>(labelled.size());
  out.activeAccuracy = share(activeRight, out.labelled);
  out.candidateAccuracy = share(candidateRight, out.labelled);

  const auto [traffic, at, ct] = replayed(false);
  std::int64_t changedCount = 0;
  std::int64_t activeHandoffs = 0;
  std::int64_t candidateHandoffs = 0;
  for (std::size_t i = 0; i < traffic.size(); ++i) {
    changedCount += at[i].category != ct[i].category;
    activeHandoffs += at[i].handoff;
    candidateHandoffs += ct[i].handoff;
  }
  out.traffic = static_cast<std::int64_t>(traffic.size());
  out.changed = changedCount;
  out.activeHandoff = share(activeHandoffs, out.traffic);
  out.candidateHandoff = share(candidateHandoffs, out.traffic);
  return out;
}

}  // namespace shopdesk::service
