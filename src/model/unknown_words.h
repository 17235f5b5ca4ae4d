#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/ngram_features.h"
#include "model/safetensors.h"

namespace shopdesk::model {

//! The share of a text's words that no training text contains. Questions about things a store never hears
//! of ("my zalando order", "my javascript function returns undefined") are full of such words, and a model
//! given this share learns to call them out of scope; typos are words too, but few per question.
class UnknownWords {
 public:
  UnknownWords() = default;

  //! Learns which words `texts` contain, and how many texts contain each; words are `terms`' unigrams.
  static UnknownWords fit(const std::vector<std::string>& texts, const NgramFeaturizer::Options& terms);

  //! Share of the words of `text` in no training text (1 for a text without words).
  double share(std::string_view text) const;
  //! The same for training text `text`, as if it had been left out: its words in no other training text.
  //! Training on this share is what teaches the model how a new question's unknown words look.
  double shareLeftOut(std::string_view text) const;

  //! The known words as a tensor under `prefix` (the counts are for training only and are not kept).
  void addTensors(TensorMap& tensors, const std::string& prefix) const;
  //! Reads what addTensors wrote; throws ArtifactError naming `file` when the tensor is missing or malformed.
  static UnknownWords fromTensors(TensorMap& tensors, const std::string& prefix,
                                  const NgramFeaturizer::Options& terms, const std::string& file);

 private:
  explicit UnknownWords(const NgramFeaturizer::Options& terms);
  double unknownShare(std::string_view text, int seenIn) const;

  NgramFeaturizer words_;
  std::vector<std::int64_t> known_;  //!< word ids, ascending
  std::vector<int> texts_;           //!< training texts with each known word (empty after loading)
};

}  // namespace shopdesk::model
