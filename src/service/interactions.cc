#include "service/interactions.h"

#include <fmt/format.h>

#include <chrono>

#include "common/clock.h"
#include "service/catalog.h"
#include "service/secrets.h"
#include "text/entity_extractor.h"

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

namespace {

constexpr std::size_t kMostIds = 1000;

// `written` as the extractor stores it ("sd482913" is SD-482913), so a request matches however it is typed.
std::string normalized(const std::string& kind, const std::string& written) {
  static const text::EntityExtractor extractor;
  for (const auto& found : extractor.extract(written, std::chrono::sys_days{})) {
    if (found.entity.kind == kind) return found.entity.value;
  }
  return written;
}

}  // namespace

std::int64_t Interactions::erase(const ErasureRequest& request) {
  const int ways = request.email.has_value() + request.orderNumber.has_value() + !request.ids.empty();
  if (ways != 1) throw InvalidValueError("name exactly one of: an email, an order number, interaction ids");
  if (request.ids.size() > kMostIds)
    throw InvalidValueError(fmt::format("at most {} interaction ids at once", kMostIds));
  if (!request.ids.empty()) return store_.eraseInteractions(request.ids);
  const auto ids = request.email ? store_.interactionsWithEntity("email", normalized("email", *request.email))
                                 : store_.interactionsWithEntity(
                                       "order_number", normalized("order_number", *request.orderNumber));
  return store_.eraseInteractions(ids);
}

}  // namespace shopdesk::service
