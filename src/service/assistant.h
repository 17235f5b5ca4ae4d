#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/artifact.h"
#include "service/interaction_writer.h"
#include "store/store.h"
#include "text/entity_extractor.h"
#include "text/pii_redactor.h"

namespace shopdesk::service {

//! The model that answers, with the version it was registered as.
struct ServedModel {
  std::string version;
  model::LoadedModel model;
};

//! A category and the probability the model gave it.
struct RankedCategory {
  std::string category;
  double probability;
};

//! A suggestion shown beside an answer: a help article of the predicted category, or the answer of a
//! runner-up category ("related").
struct Suggestion {
  std::string kind;  //!< "article" or "related"
  std::string category;
  std::string title;
  std::string body;
  std::optional<std::string> actionLabel;
  std::optional<std::string> actionUrl;
};

//! A category an unsure answer offers: "did you mean …?".
struct ClarifyOption {
  std::string category;
  std::string title;  //!< the name as a customer reads it: "order_status" is "Order status"
};

//! What a customer gets back for a question.
struct Answer {
  std::int64_t interactionId = 0;
  std::string category;
  double confidence = 0;
  std::vector<RankedCategory> ranking;  //!< top categories, best first
  std::string response;
  std::vector<Suggestion> recommendations;
  bool handoff = false;
  bool smallTalk = false;  //!< a small-talk reply: nothing to rate, so no feedback is asked for
  //! Instead of a hand-off, the categories to choose from (the response asks the question in words).
  std::vector<ClarifyOption> clarify;
  std::vector<common::Entity> entities;  //!< what the question held; the response's placeholders use them
  std::string modelVersion;
  std::string feedbackToken;  //!< only the asker holds it; stored hashed
};

//! Thrown when there is no model to answer with yet.
class NoModelError : public std::runtime_error {
 public:
  NoModelError() : std::runtime_error("no model is loaded yet") {}
};

//! Answers customer questions: classify with the served model, apply its answering policy, pick the response
//! and recommendations, and store the interaction durably before returning. Thread-safe; the model and the
//! category catalog are swapped under one lock, so a request sees one consistent pair.
class Assistant {
 public:
  //! `extractor` finds the order numbers, emails and the like that responses' placeholders use. With
  //! `redactPii`, emails, card numbers and phone numbers are masked in what is stored (text::PiiRedactor);
  //! the model still reads the question as it was asked.
  Assistant(store::Store& store, InteractionWriter& writer,
            text::EntityExtractor extractor = text::EntityExtractor(), bool redactPii = false);

  //! Answers `query` (already validated: non-empty, bounded UTF-8); throws NoModelError when no model is
  //! loaded.
  Answer answer(const std::string& query, const std::string& sessionId);

  //! The answer to interaction `id` once its asker picked `choice` from the categories it offered (none:
  //! "something else", a hand-off); `token` is the answer's feedback token, which stays valid for feedback.
  //! Throws store::NotFoundError (unknown id, wrong token), store::ConflictError (nothing asked, or answered
  //! already), InvalidValueError (a category not offered).
  Answer clarify(std::int64_t id, const std::string& token, const std::optional<std::string>& choice);

  //! Serves `model` from the next request on, after one warm-up prediction.
  void swapModel(std::shared_ptr<const ServedModel> model);
  //! The model being served, or null.
  std::shared_ptr<const ServedModel> model() const;

  //! Re-reads categories, answers and recommendations from the store.
  void reloadCatalog();
  //! True when the store answers: with a model loaded, the assistant can answer.
  bool storeReachable() const;
  //! How many answers are being worked on now (background work holds back while there are any).
  int answering() const { return answering_.load(std::memory_order_relaxed); }

 private:
  using Catalog = std::map<std::string, store::Category>;

  //! Fills in the response and recommendations of `answer`, whose category, ranking, hand-off and entities
  //! are set.
  static void respond(Answer& answer, const Catalog& catalog);
  //! The categories to offer for `scores` (unsure), each with a response to give; empty when asking would
  //! not help.
  std::vector<ClarifyOption> clarifyOptions(const ServedModel& served, const Catalog& catalog,
                                            const std::vector<model::Ranked>& scores,
                                            const std::string& sessionId);

  store::Store& store_;
  InteractionWriter& writer_;
  const text::EntityExtractor extractor_;
  const std::optional<text::PiiRedactor> redactor_;
  // A plain mutex rather than std::atomic<std::shared_ptr>: libstdc++ 12's version unlocks a load with
  // relaxed ordering, which ThreadSanitizer reports as a race with the next swap. It is held only to copy a
  // pointer.
  mutable std::mutex mutex_;
  std::atomic<int> answering_ = 0;
  std::shared_ptr<const ServedModel> model_;
  std::shared_ptr<const Catalog> catalog_;
};

//! The response given when the model is unsure and a person takes over.
extern const char* const kHandoffResponse;

}  // namespace shopdesk::service
