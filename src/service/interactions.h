#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace shopdesk::service {

//! Whose data to erase: exactly one of the three.
struct ErasureRequest {
  std::optional<std::string> email;        //!< every interaction whose question held this address
  std::optional<std::string> orderNumber;  //!< every interaction whose question held this order number
  std::vector<std::int64_t> ids;           //!< these interactions
};

//! The questions customers asked and the answers they got: listed, reviewed by agents, rated by the
//! customers themselves, and counted.
class Interactions {
 public:
  //! Answers less sure than `reviewConfidence` join the review queue.
  Interactions(store::Store& store, double reviewConfidence);

  //! One page of interactions, newest first.
  store::Page<store::Interaction> find(const store::InteractionFilter& filter);
  //! One page of the review queue: unreviewed hand-offs, unsure answers and answers rated unhelpful or
  //! corrected, filtered further by `filter`.
  store::Page<store::Interaction> reviewQueue(const store::InteractionFilter& filter);
  //! One interaction; throws store::NotFoundError.
  store::Interaction get(std::int64_t id);
  //! Records an agent's review and returns the interaction as it is now; a relabel also teaches the query
  //! as a training example. Throws store::NotFoundError, or store::ConflictError when reviewed already.
  store::Interaction review(std::int64_t id, store::ReviewAction action,
                            const std::optional<std::string>& category);
  //! Stores the asker's feedback; `token` is the one the answer carried (only its hash is stored). Throws
  //! store::NotFoundError for an unknown interaction or a wrong token, store::ConflictError when given
  //! already.
  void addFeedback(std::int64_t id, const std::string& token, const store::Feedback& feedback);
  //! Erases one customer's questions (store::Store::eraseInteractions) and returns how many; matching nothing
  //! is no error. Throws InvalidValueError unless exactly one way to find them is given, or for over 1000
  //! ids.
  std::int64_t erase(const ErasureRequest& request);
  //! Traffic figures of the last `days` days.
  store::TrafficStats stats(std::int64_t days);

 private:
  store::Store& store_;
  double reviewConfidence_;
};

}  // namespace shopdesk::service
