#include "service/assistant.h"
#include "model/model_kinds.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "common/clock.h"
#include "model/policy.h"
#include "service/catalog.h"
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

// "order_status" as a customer reads it: "Order status".
std::string readableName(const std::string& name) {
  std::string out = name;
  std::replace(out.begin(), out.end(), '_', ' ');
  std::replace(out.begin(), out.end(), '-', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// The question in words, for clients that show only the response.
std::string clarifyQuestion(const std::vector<ClarifyOption>& options) {
  std::string list;
  for (const auto& option : options) list += option.title + ", ";
  return "I'm not sure I understood. Did you mean: " + list + "or something else?";
}

// Counts an answer as in hand for as long as it lives.
class InHand {
 public:
  explicit InHand(std::atomic<int>& count) : count_(count) { count_.fetch_add(1, std::memory_order_relaxed); }
  ~InHand() { count_.fetch_sub(1, std::memory_order_relaxed); }
  InHand(const InHand&) = delete;
  InHand& operator=(const InHand&) = delete;

 private:
  std::atomic<int>& count_;
};

}  // namespace

Assistant::Assistant(store::Store& store, InteractionWriter& writer, text::EntityExtractor extractor,
                     bool redactPii)
    : store_(store),
      writer_(writer),
      extractor_(std::move(extractor)),
      redactor_(redactPii ? std::make_optional<text::PiiRedactor>() : std::nullopt) {
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
  const InHand inHand(answering_);
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
  if (answer.handoff) {
    answer.clarify = clarifyOptions(*served, *catalog, scores, sessionId);
    answer.handoff = answer.clarify.empty();
  }
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  for (auto& found : extractor_.extract(query, today)) answer.entities.push_back(std::move(found.entity));
  respond(answer, *catalog);

  answer.feedbackToken = randomToken();
  store::Interaction interaction;
  interaction.query = redactor_ ? redactor_->redact(query) : query;
  interaction.category = answer.category;
  interaction.confidence = answer.confidence;
  interaction.response = redactor_ ? redactor_->redact(answer.response) : answer.response;
  interaction.handoff = answer.handoff;
  interaction.modelVersion = answer.modelVersion;
  interaction.sessionId = sessionId;
  interaction.feedbackTokenHash = sha256Hex(answer.feedbackToken);
  interaction.createdAt = common::nowMillis();
  for (const auto& option : answer.clarify) interaction.clarifyOptions.push_back(option.category);
  for (const auto& e : answer.entities) {
    if (!redactor_ || e.kind != "email") interaction.entities.push_back(e);  // the address is what is masked
  }
  answer.interactionId = writer_.write(std::move(interaction));
  return answer;
}

Answer Assistant::clarify(std::int64_t id, const std::string& token,
                          const std::optional<std::string>& choice) {
  const InHand inHand(answering_);
  std::shared_ptr<const Catalog> catalog;
  {
    std::lock_guard lock(mutex_);
    catalog = catalog_;
  }
  // The question's entities fill the chosen response's placeholders; an unknown id reads as a wrong token.
  const auto stored = store_.interaction(id);
  if (!stored) throw store::NotFoundError(fmt::format("no interaction {} with that token", id));
  Answer answer;
  answer.interactionId = id;
  answer.feedbackToken = token;
  answer.handoff = !choice;
  answer.category = stored->category;
  answer.confidence = stored->confidence;
  answer.modelVersion = stored->modelVersion;
  answer.entities = stored->entities;
  if (choice) {
    const auto chosen = catalog->find(*choice);
    if (chosen == catalog->end() || chosen->second.response.empty())
      throw InvalidValueError(fmt::format("'{}' is no category with an answer", *choice));
    answer.category = *choice;
    answer.ranking.push_back({*choice, stored->confidence});
  }
  respond(answer, *catalog);
  try {
    store_.recordClarification(id, sha256Hex(token), choice,
                               redactor_ ? redactor_->redact(answer.response) : answer.response);
  } catch (const std::invalid_argument& e) {
    throw InvalidValueError(e.what());
  }
  return answer;
}

std::vector<ClarifyOption> Assistant::clarifyOptions(const ServedModel& served, const Catalog& catalog,
                                                     const std::vector<model::Ranked>& scores,
                                                     const std::string& sessionId) {
  const auto& labels = served.model.classifier->labels();
  std::vector<ClarifyOption> options;
  for (const auto& choice : model::clarifyChoices(served.model.card.policy, scores)) {
    const auto& name = labels[static_cast<std::size_t>(choice.label)];
    const auto category = catalog.find(name);
    if (category == catalog.end() || category->second.response.empty() || category->second.smallTalk)
      continue;
    options.push_back({name, readableName(name)});
  }
  // Asked once, a customer who is still not understood is better served by a person than by a second quiz.
  if (options.empty() || (!sessionId.empty() && store_.sessionLastAsked(sessionId))) return {};
  return options;
}

void Assistant::respond(Answer& answer, const Catalog& catalog) {
  if (!answer.clarify.empty()) {
    answer.response = clarifyQuestion(answer.clarify);
    return;
  }
  const auto top = catalog.find(answer.category);
  answer.response =
      answer.handoff ? kHandoffResponse : text::fillPlaceholders(top->second.response, answer.entities);
  // Small talk gets its short reply alone: articles or other categories' answers beside "hi" would be noise.
  answer.smallTalk = !answer.handoff && top->second.smallTalk;
  if (top != catalog.end() && !answer.smallTalk) {
    for (const auto& r : top->second.recommendations) {
      answer.recommendations.push_back(
          {"article", answer.category, r.title, r.body, r.actionLabel, r.actionUrl});
    }
  }
  for (std::size_t i = 1; i < answer.ranking.size() && !answer.smallTalk; ++i) {
    if (answer.ranking[i].probability < kRelatedMinimum) break;
    const auto related = catalog.find(answer.ranking[i].category);
    if (related == catalog.end() || related->second.response.empty() || related->second.smallTalk) continue;
    const auto& c = related->second;
    answer.recommendations.push_back({"related", c.name, c.description.empty() ? c.name : c.description,
                                      c.response, std::nullopt, std::nullopt});
  }
}

}  // namespace shopdesk::service
