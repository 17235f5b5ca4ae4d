#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/classifier.h"
#include "model/policy.h"

namespace shopdesk::model {

//! model.json: everything about a trained model but its weights.
struct ModelCard {
  std::string kind;
  std::vector<std::string> labels;
  nlohmann::json settings;  //!< the model kind's hyper-parameters
  std::string dataFingerprint;
  AnswerPolicy policy;
  nlohmann::json metrics;  //!< the training run's evaluation report
  std::int64_t createdAt = 0;

  nlohmann::json toJson() const;
  static ModelCard fromJson(const nlohmann::json& json);
};

//! A classifier with its card, as loaded from a model folder.
struct LoadedModel {
  std::shared_ptr<const Classifier> classifier;
  ModelCard card;
};

//! Writes `classifier` and `card` into the folder `dir` (created). model.json is written last, so a folder
//! without one is an interrupted save, never a model.
void saveModel(const Classifier& classifier, ModelCard card, const std::filesystem::path& dir);

//! Loads a model folder; throws ArtifactError naming the file when anything is missing, corrupt or
//! inconsistent.
LoadedModel loadModel(const std::filesystem::path& dir);

//! The classifier of `kind` whose weights save() wrote into `dir` and whose settings it returned.
std::shared_ptr<const Classifier> loadClassifier(const std::string& kind, const std::filesystem::path& dir,
                                                 const nlohmann::json& settings,
                                                 const std::vector<std::string>& labels);

}  // namespace shopdesk::model
