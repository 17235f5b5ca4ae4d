#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "service/analysis_jobs.h"
#include "service/model_registry.h"
#include "store/store.h"

namespace shopdesk::service {

//! One stored question whose answer two versions give differently.
struct ChangedAnswer {
  std::int64_t interactionId = 0;
  std::string query;
  std::string truth;  //!< the right category, as an agent or the customer said
  std::string active;
  std::string candidate;
};

//! What a candidate version would change on a store's own traffic, against the version serving it.
struct ModelComparison {
  std::string active;
  std::string candidate;
  std::int64_t labelled =
      0;  //!< questions whose right category is known (reviewed, corrected, rated helpful)
  double activeAccuracy = 0;  //!< on those, best category right
  double candidateAccuracy = 0;
  std::int64_t traffic = 0;  //!< the newest questions replayed
  std::int64_t changed = 0;  //!< of those, answered with another category by the candidate
  double activeHandoff = 0;  //!< of the traffic, handed off
  double candidateHandoff = 0;
  std::vector<ChangedAnswer> newlyRight;  //!< labelled questions only the candidate gets right (20 at most)
  std::vector<ChangedAnswer> newlyWrong;  //!< and those only the active version gets right

  nlohmann::json toJson() const;
};

//! Answers "would this version serve our customers better than the one serving them?" before activating it.
class ModelComparer {
 public:
  //! What the version being served already holds in memory for `version`, if it is that version (a server's
  //! comparison then loads only the candidate).
  using InMemory = std::function<std::optional<model::LoadedModel>(const std::string& version)>;

  ModelComparer(store::Store& store, ModelRegistry& registry, InMemory inMemory = {});

  //! Replays the newest `limit` labelled questions and the newest `limit` questions through the active
  //! version and `candidate`, each answering as it would when served (its best category, its own hand-off
  //! policy). Throws store::NotFoundError for an unknown version, store::ConflictError when none is active.
  ModelComparison compareWithActive(const std::string& candidate, std::int64_t limit = 10000,
                                    const AnalysisProgress& progress = {});
  //! Throws what compareWithActive would before it starts: an unknown version, none active.
  void check(const std::string& candidate);

 private:
  // The model of `version`: in memory already, or loaded (under SCHED_IDLE: a large model's loading is
  // seconds of page faults and copying).
  model::LoadedModel load(const std::string& version);

  store::Store& store_;
  ModelRegistry& registry_;
  InMemory inMemory_;
};

}  // namespace shopdesk::service
