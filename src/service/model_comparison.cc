#include "service/model_comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/low_priority.h"
#include "common/pacer.h"
#include "model/policy.h"
#include "store/interaction_pages.h"

namespace shopdesk::service {

namespace {

constexpr std::size_t kExamples = 20;

struct Reply {
  std::string category;
  bool handoff = false;
};

// Small enough to stay on one core (the n-gram model spreads a batch of 64 or more over the cores).
constexpr std::size_t kChunk = 32;

// How `model` answers each of `texts`, as served. A chunk at a time, each under SCHED_IDLE: the replay is
// seconds of CPU that answering customers come before, while `done` (reporting progress, which writes to the
// store) runs at the caller's priority between chunks.
std::vector<Reply> replay(const model::LoadedModel& model, const std::vector<std::string>& texts,
                          const std::function<void(std::size_t)>& done) {
  const auto& policy = model.card.policy;
  std::vector<Reply> out;
  out.reserve(texts.size());
  for (std::size_t start = 0; start < texts.size(); start += kChunk) {
    const std::vector<std::string> chunk(
        texts.begin() + static_cast<std::ptrdiff_t>(start),
        texts.begin() + static_cast<std::ptrdiff_t>(std::min(start + kChunk, texts.size())));
    const auto rankings = common::atLowPriority([&] { return model.classifier->predict(chunk); });
    for (const auto& ranking : rankings) {
      const auto categories = model::categoryRanking(ranking, policy.outOfScopeLabel);
      out.push_back({categories.empty() ? "" : model.classifier->labels().at(categories.front().label),
                     policy.handOff(ranking)});
    }
    done(chunk.size());
    common::pace();
  }
  return out;
}

// The newest `limit` interactions (labelled ones only, or all). The reads run at the caller's priority,
// paced between pages: a read starved under SCHED_IDLE would hold its page's snapshot of the store while
// the answers keep writing (on SQLite, the write-ahead log could not be checkpointed meanwhile).
std::vector<store::Interaction> newest(store::Store& store, std::int64_t limit, bool labelled) {
  store::InteractionFilter filter;
  filter.labelled = labelled;
  return store::readNewestInteractions(store, filter, static_cast<std::size_t>(limit),
                                       [](std::size_t) { common::pace(); });
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

ModelComparer::ModelComparer(store::Store& store, ModelRegistry& registry, InMemory inMemory)
    : store_(store), registry_(registry), inMemory_(std::move(inMemory)) {}

model::LoadedModel ModelComparer::load(const std::string& version) {
  if (inMemory_) {
    if (auto loaded = inMemory_(version)) return std::move(*loaded);
  }
  return common::atLowPriority([&] { return registry_.load(version); });
}

void ModelComparer::check(const std::string& candidate) {
  if (!store_.activeModelVersion()) throw store::ConflictError("no version is active to compare with");
  registry_.find(candidate);
}

ModelComparison ModelComparer::compareWithActive(const std::string& candidate, std::int64_t limit,
                                                 const AnalysisProgress& progress) {
  const auto activeVersion = store_.activeModelVersion();
  if (!activeVersion) throw store::ConflictError("no version is active to compare with");
  ModelComparison out;
  out.active = activeVersion->version;
  out.candidate = registry_.find(candidate).version;
  const auto report = [&](int percent, const char* stage) {
    if (progress) progress(percent, stage);
  };
  report(0, "reading");
  const auto active = load(out.active);
  const auto proposed = load(out.candidate);
  const auto labelled = newest(store_, limit, true);
  const auto traffic = newest(store_, limit, false);

  // Four replays (two versions, two sets of questions) make the progress from 10% to 100%.
  const std::size_t total = 2 * (labelled.size() + traffic.size());
  std::size_t replayed = 0;
  const auto done = [&](std::size_t n) {
    replayed += n;
    report(static_cast<int>(10 + 90 * replayed / std::max<std::size_t>(total, 1)), "replaying");
  };
  const auto both = [&](const std::vector<store::Interaction>& questions) {
    std::vector<std::string> texts;
    texts.reserve(questions.size());
    for (const auto& q : questions) texts.push_back(q.query);
    auto a = replay(active, texts, done);
    return std::pair(std::move(a), replay(proposed, texts, done));
  };
  report(10, "replaying");
  const auto [a, c] = both(labelled);
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

  const auto [at, ct] = both(traffic);
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
