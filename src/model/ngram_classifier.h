#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/ngram_features.h"

namespace shopdesk::model {

//! One category of a prediction with its probability.
struct Ranked {
  int label;
  float probability;
};

//! Progress of a training run, reported once per epoch.
struct EpochProgress {
  int epoch;
  int epochs;
  double loss;  //!< mean training loss of the epoch
};

//! fastText-style classifier: the mean of hashed n-gram embeddings, then a linear softmax layer. Trained with
//! libtorch (sparse gradients: a step touches only the rows its batch uses); predictions run in plain C++ on the
//! learned weights, since a handful of small vector operations cost less than dispatching tensor ops.
class NgramClassifier {
 public:
  struct Options {
    NgramFeaturizer::Options features;
    int dimension = 64;
    int epochs = 20;
    int batchSize = 16;
    double learningRate = 0.5;  //!< decays linearly to 0 over training
    std::uint64_t seed = 1;
  };

  //! Trains on `texts` labelled with indices into `labels`. Throws std::invalid_argument for empty or mismatched
  //! input or fewer than two labels.
  static NgramClassifier train(const std::vector<std::string>& texts, const std::vector<int>& targets,
                               std::vector<std::string> labels, const Options& options,
                               const std::function<void(const EpochProgress&)>& onEpoch = {});

  //! For each text, every label ranked by probability (highest first); probabilities sum to 1.
  std::vector<std::vector<Ranked>> predict(const std::vector<std::string>& texts) const;

  const std::vector<std::string>& labels() const { return labels_; }

 private:
  NgramClassifier(const Options& options, std::vector<std::string> labels);
  std::vector<Ranked> predictOne(const std::string& text) const;

  Options options_;
  NgramFeaturizer featurizer_;
  std::vector<std::string> labels_;
  std::vector<float> embeddings_;  //!< buckets × dimension, row-major
  std::vector<float> weights_;     //!< labels × dimension
  std::vector<float> bias_;        //!< labels
};

}  // namespace shopdesk::model
