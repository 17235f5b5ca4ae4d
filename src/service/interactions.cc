#include "service/interactions.h"

#include "common/clock.h"
#include "service/secrets.h"

namespace shopdesk::service {

Interactions::Interactions(store::Store& store, double reviewConfidence)
    : store_(store), reviewConfidence_(reviewConfidence) {}

store::Page<store::Interaction> Interactions::find(const store::InteractionFilter& filter) {
  return store_.findInteractions(filter);
}

store::Page<store::Interaction> Interactions::reviewQueue(const store::InteractionFilter& given) {
  auto filter = given;
  filter.needsReview = true;
  filter.lowConfidence = reviewConfidence_;
  return store_.findInteractions(filter);
}

store::Interaction Interactions::get(std::int64_t id) {
  auto interaction = store_.interaction(id);
  if (!interaction) throw store::NotFoundError("no interaction " + std::to_string(id));
  return std::move(*interaction);
}

store::Interaction Interactions::review(std::int64_t id, store::ReviewAction action,
                                        const std::optional<std::string>& category) {
  store_.reviewInteraction(id, action, category);
  return get(id);
}

void Interactions::addFeedback(std::int64_t id, const std::string& token, const store::Feedback& feedback) {
  store_.addFeedback(id, sha256Hex(token), feedback);
}

store::TrafficStats Interactions::stats(std::int64_t days) {
  return store_.trafficStats(common::nowMillis() - days * 86400000LL);
}

}  // namespace shopdesk::service
