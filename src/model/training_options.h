#pragma once

#include <atomic>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/example.h"
#include "model/linear_classifier.h"
#include "model/ngram_classifier.h"
#include "model/policy.h"
#include "model/transformer_options.h"

namespace shopdesk::model {

//! How train() trains: the kind, the split, each model's settings and the hand-off goals. The CLI and the API
//! fill it through the same setters and check().
struct TrainingOptions {
  std::string kind = "auto";  //!< one of modelKinds()
  std::uint64_t seed = 42;
  double validationFraction = 0.1;
  double testFraction = 0.1;
  int patience = 4;  //!< epochs without a better validation macro-F1 before stopping
  NgramClassifier::Options ngram;
  LinearClassifier::Options linear;
  TransformerOptions transformer;
  PolicyGoals goals;            //!< what the hand-off policy is tuned for
  bool outOfScopeClass = true;  //!< learn the out-of-scope queries as a label of their own
  //! A validation set of its own: the stored examples then give none.
  std::vector<common::Example> validation;
  const std::atomic<bool>* cancel = nullptr;

  //! Sets the most epochs of every model that learns in epochs (the n-gram model, a transformer).
  void setEpochs(int epochs);
  //! Sets the learning rate of every model that learns in epochs.
  void setLearningRate(double rate);
  //! The most epochs the kind trains for, for progress reports (0 when it has no epochs).
  int epochs() const;
  //! Throws std::invalid_argument when these options cannot train: an unknown kind, or a kind that fine-tunes
  //! a checkpoint without a checkpoint folder.
  void check() const;
  //! The kind, seed, goals and the settings of the models the kind trains: what a training job records.
  nlohmann::json toJson() const;
};

}  // namespace shopdesk::model
