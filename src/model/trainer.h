#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/example.h"
#include "model/artifact.h"
#include "model/errors.h"
#include "model/evaluation.h"
#include "model/policy.h"
#include "model/training_options.h"

namespace shopdesk::model {

//! Progress of a training run, once per epoch.
struct TrainingProgress {
  int epoch = 0;
  int epochs = 0;
  double loss = 0;
  double validationMacroF1 = 0;
  double seconds = 0;          //!< since training started
  double tokensPerSecond = 0;  //!< transformers only
};

//! A trained model and how it did on data it never saw.
struct TrainingResult {
  std::shared_ptr<const Classifier> classifier;
  ModelCard card;
  Evaluation test;
  PolicyReport policy;  //!< tuned on the validation split, scored on the test split
  int bestEpoch = 0;
  int examples = 0;
};

//! Trains every model kind the same way: a stratified train/validation/test split with a fixed seed, early
//! stopping on validation macro-F1 (the best epoch is kept), the kind ("auto") and hyper-parameters chosen on
//! validation, the answering policy tuned on validation data and `outOfScope` queries (split the same way),
//! and an evaluation report on the test split, which nothing else sees. Texts stored under two labels are
//! left out and reported. Categories with fewer than 3 examples are trained on but cannot be evaluated.
//! Throws std::invalid_argument when fewer than two categories are given or `options.check()` fails.
TrainingResult train(const std::vector<common::Example>& examples, const std::vector<std::string>& outOfScope,
                     const TrainingOptions& options,
                     const std::function<void(const TrainingProgress&)>& onProgress = {});

//! A fingerprint of a training set that does not depend on the order of its examples.
std::string dataFingerprint(const std::vector<common::Example>& examples);

}  // namespace shopdesk::model
