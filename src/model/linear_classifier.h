#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/classifier.h"
#include "model/tfidf_features.h"
#include "model/unknown_words.h"

namespace shopdesk::model {

//! A linear model on TF-IDF word and character n-grams, trained with LIBLINEAR (one linear SVM per category,
//! as scikit-learn's LinearSVC, or L2-regularized logistic regression). Its scores become probabilities by
//! a softmax with a temperature fitted on validation data, so the hand-off policy can read them.
class LinearClassifier final : public Classifier {
 public:
  struct Options {
    TfidfFeaturizer::Options features;
    std::string solver = "svm";  //!< "svm" (L2-loss, dual) or "logistic" (L2-regularized)
    //! Values of C to try; the one most accurate on validation is kept (the first on a tie, or without
    //! validation data).
    std::vector<double> costs = {1, 0.5, 2};
    double tolerance = 0.1;  //!< LIBLINEAR's stopping tolerance (eps)
    //! Value of one more feature, the share of a text's words no training text has (UnknownWords), at its
    //! largest; 0 leaves the feature out (as in models saved before it existed).
    double unknownWordsWeight = 1.0;

    nlohmann::json toJson() const;
    static Options fromJson(const nlohmann::json& json);
  };

  //! Trains on `texts` labelled with indices into `labels`, choosing C among `options.costs` by accuracy on
  //! the validation texts (the first C when there are none; a C per core at a time) and fitting the
  //! temperature on them. Throws std::invalid_argument for empty or mismatched input or fewer than two
  //! labels.
  static LinearClassifier train(const std::vector<std::string>& texts, const std::vector<int>& targets,
                                std::vector<std::string> labels, const Options& options,
                                const std::vector<std::string>& validationTexts = {},
                                const std::vector<int>& validationTargets = {});

  //! This model's settings (features, C, temperature) trained again on `texts`, with nothing left to
  //! choose: for when the data they were chosen on can join training.
  LinearClassifier refit(const std::vector<std::string>& texts, const std::vector<int>& targets) const;

  //! Loads what save() wrote; throws ArtifactError naming the file when it does not fit `settings`.
  static LinearClassifier load(const std::filesystem::path& dir, const nlohmann::json& settings,
                               std::vector<std::string> labels);

  std::string kind() const override { return "linear"; }
  const std::vector<std::string>& labels() const override { return labels_; }
  std::vector<std::vector<Ranked>> predict(const std::vector<std::string>& texts) const override;
  nlohmann::json save(const std::filesystem::path& dir) const override;

  //! One score per label for `text`, before the softmax.
  std::vector<float> scores(std::string_view text) const;
  double cost() const { return cost_; }
  double temperature() const { return temperature_; }

 private:
  LinearClassifier(const Options& options, std::vector<std::string> labels);
  //! The TF-IDF row of `text` with the unknown-word feature after it (left out, for a training text).
  SparseRow features(std::string_view text, bool training) const;
  std::int32_t inputs() const;  //!< features a row may have

  Options options_;
  std::vector<std::string> labels_;
  TfidfFeaturizer featurizer_;
  UnknownWords unknownWords_;
  std::vector<float> weights_;  //!< inputs × labels, row-major: a feature's weights are together
  std::vector<float> bias_;     //!< labels
  double cost_ = 1;
  double temperature_ = 1;
};

}  // namespace shopdesk::model
