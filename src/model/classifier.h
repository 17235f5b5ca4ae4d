#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace shopdesk::model {

//! One category of a prediction with its probability.
struct Ranked {
  int label;  //!< index into Classifier::labels()
  float probability;
};

//! What every model kind offers. Implementations are immutable once built, so predict() is thread-safe.
class Classifier {
 public:
  virtual ~Classifier() = default;

  //! "ngram", "transformer", …: the kind written to model.json.
  virtual std::string kind() const = 0;
  virtual const std::vector<std::string>& labels() const = 0;
  //! For each text, every label ranked by probability (highest first); probabilities sum to 1.
  virtual std::vector<std::vector<Ranked>> predict(const std::vector<std::string>& texts) const = 0;
  //! Writes the weights into `dir` and returns the settings needed to load them again.
  virtual nlohmann::json save(const std::filesystem::path& dir) const = 0;
};

}  // namespace shopdesk::model
