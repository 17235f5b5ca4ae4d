#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "model/classifier.h"
#include "model/ngram_classifier.h"

namespace shopdesk::model {

//! What training a chosen model again needs beyond the model itself.
struct RefitOptions {
  NgramClassifier::Options ngram;  //!< the run's n-gram options, with its seed
  int ngramEpochs = 0;             //!< the epoch the n-gram model was chosen at
  const std::atomic<bool>* cancel = nullptr;
};

//! `model` trained again on `texts`, with every setting chosen for it kept: C and temperature (linear), the
//! epoch the n-gram model stopped at on the same learning-rate schedule, weights and temperature
//! (ensemble). Throws std::invalid_argument for a kind it does not train (transformers), TrainingCancelled
//! when cancelled.
std::shared_ptr<const Classifier> refit(const Classifier& model, const std::vector<std::string>& texts,
                                        const std::vector<int>& targets, const RefitOptions& options);

//! A model that learned from every out-of-scope query, and each query as ranked by one that did not.
struct OutOfScopeRefit {
  std::shared_ptr<const Classifier> model;
  std::vector<std::vector<Ranked>> heldOutRankings;  //!< one per query, in the order given
};

//! `model` refitted on `texts` and `queries` (labelled `outOfScopeLabel`), and `folds` more times, each
//! without every folds-th query, to rank those it left out. The fits run a core each.
OutOfScopeRefit refitWithOutOfScope(const Classifier& model, const std::vector<std::string>& texts,
                                    const std::vector<int>& targets, const std::vector<std::string>& queries,
                                    int outOfScopeLabel, std::size_t folds, const RefitOptions& options);

}  // namespace shopdesk::model
