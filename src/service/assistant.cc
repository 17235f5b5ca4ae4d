#include "service/assistant.h"
#include "model/model_kinds.h"

#include <chrono>
#include <utility>

#include "common/clock.h"
#include "model/policy.h"
#include "service/inference_batcher.h"
#include "service/secrets.h"

namespace shopdesk::service {

const char* const kHandoffResponse =
    "Thanks for your message. I'm not sure I understood it well enough to answer, so a member of our support "
    "team "
    "will follow up with you shortly.";

namespace {

constexpr std::size_t kRankingSize = 3;
// A runner-up category is suggested only when the model gives it a real chance.
constexpr double kRelatedMinimum = 0.1;

}  // namespace

Assistant::Assistant(store::Store& store, InteractionWriter& writer) : store_(store), writer_(writer) {
  reloadCatalog();
}

void Assistant::reloadCatalog() {
  auto catalog = std::make_shared<Catalog>();
  for (auto& category : store_.categories()) catalog->emplace(category.name, std::move(category));
  std::shared_ptr<const Catalog> old;  // freed after the lock is released
  std::lock_guard lock(mutex_);
  old = std::exchange(catalog_, std::move(catalog));
}

bool Assistant::storeReachable() const { return store_.ping(); }

void Assistant::swapModel(std::shared_ptr<const ServedModel> model) {
  if (model && model::modelKind(model->model.classifier->kind()).batchesAnswers) {
    auto batched = std::make_shared<ServedModel>(*model);
    batched->model.classifier =
        std::make_shared<BatchingClassifier>(model->model.classifier, BatchingClassifier::Options{});
    model = std::move(batched);
  }
  if (model)
    model->model.classifier->predict({"warm up"});  // first-call allocations happen here, not in a request
  std::shared_ptr<const ServedModel> old;  // the last user of a replaced model frees it, outside the lock
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(model_, std::move(model));
  }
}

std::shared_ptr<const ServedModel> Assistant::model() const {
  std::lock_guard lock(mutex_);
  return model_;
}

Answer Assistant::answer(const std::string& query, const std::string& sessionId) {
  std::shared_ptr<const ServedModel> served;
  std::shared_ptr<const Catalog> catalog;
  {
    std::lock_guard lock(mutex_);
    served = model_;
    catalog = catalog_;
  }
  if (!served) throw NoModelError();
  const auto& classifier = *served->model.classifier;
  const auto& labels = classifier.labels();
  const auto scores = classifier.predict({query}).front();
  const auto& policy = served->model.card.policy;
  const auto ranking = model::categoryRanking(scores, policy.outOfScopeLabel);

  Answer answer;
  answer.modelVersion = served->version;
  answer.category = labels[static_cast<std::size_t>(ranking[0].label)];
  answer.confidence = ranking[0].probability;
  for (std::size_t i = 0; i < std::min(kRankingSize, ranking.size()); ++i) {
    answer.ranking.push_back({labels[static_cast<std::size_t>(ranking[i].label)], ranking[i].probability});
  }
  const auto top = catalog->find(answer.category);
  answer.handoff = policy.handOff(scores) || top == catalog->end() || top->second.response.empty();
  answer.response = answer.handoff ? kHandoffResponse : top->second.response;
  // Small talk gets its short reply alone: articles or other categories' answers beside "hi" would be noise.
  answer.smallTalk = !answer.handoff && top->second.smallTalk;
  if (top != catalog->end() && !answer.smallTalk) {
    for (const auto& r : top->second.recommendations) {
      answer.recommendations.push_back(
          {"article", answer.category, r.title, r.body, r.actionLabel, r.actionUrl});
    }
  }
  for (std::size_t i = 1; i < answer.ranking.size() && !answer.smallTalk; ++i) {
    if (answer.ranking[i].probability < kRelatedMinimum) break;
    const auto related = catalog->find(answer.ranking[i].category);
    if (related == catalog->end() || related->second.response.empty() || related->second.smallTalk) continue;
    const auto& c = related->second;
    answer.recommendations.push_back({"related", c.name, c.description.empty() ? c.name : c.description,
                                      c.response, std::nullopt, std::nullopt});
  }

  answer.feedbackToken = randomToken();
  store::Interaction interaction;
  interaction.query = query;
  interaction.category = answer.category;
  interaction.confidence = answer.confidence;
  interaction.response = answer.response;
  interaction.handoff = answer.handoff;
  interaction.modelVersion = answer.modelVersion;
  interaction.sessionId = sessionId;
  interaction.feedbackTokenHash = sha256Hex(answer.feedbackToken);
  interaction.createdAt = common::nowMillis();
  answer.interactionId = writer_.write(std::move(interaction));
  return answer;
}

}  // namespace shopdesk::service
