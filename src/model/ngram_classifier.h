#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/classifier.h"
#include "model/epoch_hook.h"
#include "model/ngram_features.h"

namespace shopdesk::model {

//! fastText-style classifier: the mean of hashed n-gram embeddings, then a linear softmax layer. Trained with
//! libtorch (sparse gradients: a step touches only the rows its batch uses); predictions run in plain C++ on
//! the learned weights, since a handful of small vector operations cost less than dispatching tensor ops.
class NgramClassifier final : public Classifier {
 public:
  struct Options {
    NgramFeaturizer::Options features;
    int dimension = 64;
    int epochs = 20;
    int batchSize = 16;
    double learningRate = 0.5;  //!< per example; decays linearly to 0 over training
    std::uint64_t seed = 1;

    nlohmann::json toJson() const;
    static Options fromJson(const nlohmann::json& json);
  };

  //! Trains on `texts` labelled with indices into `labels`. Throws std::invalid_argument for empty or
  //! mismatched input or fewer than two labels. Built into libshopdesk_torch (model/ngram_training.cc): code
  //! outside it calls torchModule().trainNgram.
  static NgramClassifier train(const std::vector<std::string>& texts, const std::vector<int>& targets,
                               std::vector<std::string> labels, const Options& options,
                               const EpochHook& onEpoch = {});

  //! Loads what save() wrote; throws ArtifactError naming the file and tensor when it does not fit
  //! `settings`.
  static NgramClassifier load(const std::filesystem::path& dir, const nlohmann::json& settings,
                              std::vector<std::string> labels);

  std::string kind() const override { return "ngram"; }
  const std::vector<std::string>& labels() const override { return labels_; }
  std::vector<std::vector<Ranked>> predict(const std::vector<std::string>& texts) const override;
  nlohmann::json save(const std::filesystem::path& dir) const override;

  //! The ranking of one text.
  std::vector<Ranked> predictOne(std::string_view text) const;

 private:
  NgramClassifier(const Options& options, std::vector<std::string> labels);

  Options options_;
  NgramFeaturizer featurizer_;
  std::vector<std::string> labels_;
  std::vector<float> embeddings_;  //!< buckets × dimension, row-major
  std::vector<float> weights_;     //!< labels × dimension
  std::vector<float> bias_;        //!< labels
};

}  // namespace shopdesk::model
