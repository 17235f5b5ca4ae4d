#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <vector>

#include "model/ngram_features.h"
#include "model/safetensors.h"

namespace shopdesk::model {

//! A sparse feature vector: ascending feature indices and their values.
struct SparseRow {
  std::vector<std::int32_t> indices;
  std::vector<float> values;
};

//! TF-IDF weights of word n-grams and character n-grams (scikit-learn's TfidfVectorizer with sublinear tf and
//! smoothed idf, one vectorizer for words and one for characters, each row L2-normalized per block). The
//! terms are NgramFeaturizer's, hashed to 62 bits instead of folded into buckets; the vocabulary is the terms
//! of the training texts, so a term seen only at prediction time adds nothing.
class TfidfFeaturizer {
 public:
  struct Options {
    NgramFeaturizer::Options terms;
    int minDocuments = 1;          //!< terms in fewer training texts are left out
    double characterWeight = 1.0;  //!< length of the character block against the word block's 1

    Options();
    nlohmann::json toJson() const;
    static Options fromJson(const nlohmann::json& json);
  };

  TfidfFeaturizer() = default;

  //! Learns the vocabulary and the idf weights from `texts`.
  static TfidfFeaturizer fit(const std::vector<std::string>& texts, const Options& options);

  //! The TF-IDF row of `text`; empty when it shares no term with the vocabulary.
  SparseRow transform(std::string_view text) const;

  //! How many features a row may have.
  std::int32_t size() const { return static_cast<std::int32_t>(idf_.size()); }
  const Options& options() const { return options_; }

  //! The vocabulary as tensors (term hashes and idf weights, in feature order) under `prefix`.
  void addTensors(TensorMap& tensors, const std::string& prefix) const;
  //! Reads what addTensors wrote; throws ArtifactError naming `file` when a tensor is missing or malformed.
  static TfidfFeaturizer fromTensors(TensorMap& tensors, const std::string& prefix, const Options& options,
                                     const std::string& file);

 private:
  explicit TfidfFeaturizer(const Options& options);
  void index();

  Options options_;
  NgramFeaturizer terms_;
  std::vector<std::int64_t> hashes_;  //!< the term of each feature, ascending (so words before characters)
  std::vector<float> idf_;
  // Looked up for every term of every question (~170 for a short one), mostly missing the CPU's caches: an
  // open-addressing table can be asked to fetch all of a question's slots before any is read (prefetch).
  absl::flat_hash_map<std::int64_t, std::int32_t> features_;  //!< term → feature
};

}  // namespace shopdesk::model
