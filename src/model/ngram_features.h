#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "text/normalizer.h"
#include "text/word_tokenizer.h"

namespace shopdesk::model {

//! Hashed n-gram features, fastText-style but with no vocabulary: every word, word n-gram and character
//! n-gram is hashed into one of `buckets` rows, so a model needs no dictionary and unseen words still share
//! character n-grams with known ones ("refnd" with "refund").
class NgramFeaturizer {
 public:
  struct Options {
    std::int64_t buckets = 1 << 18;  //!< 2^18 × 64 floats = 64 MB of embeddings
    int wordNgrams = 2;              //!< 1: words only, 2: words and bigrams, …
    int charMin = 3;                 //!< character n-grams of "<word>", in code points; 0 turns them off
    int charMax = 5;
    std::size_t maxWords = 256;  //!< longer texts are cut: bounds the cost of a 100 KB query
    //! Order numbers, emails, amounts, dates and sizes become one word for their kind
    //! (text::EntityExtractor::mask): that a question holds an order number says something of its category,
    //! which number it is never does. Models saved before it existed load with it off.
    bool maskEntities = true;
    text::Normalizer::Options normalization;
    text::WordTokenizer::Options tokenization;
  };

  NgramFeaturizer() = default;
  explicit NgramFeaturizer(Options options);

  //! Feature ids in [0, buckets) of `text` (UTF-8; invalid bytes only split words). May be empty.
  std::vector<std::int64_t> features(std::string_view text) const;

  //! The same ids, words and word n-grams apart from character n-grams (models that weigh the two apart).
  struct Split {
    std::vector<std::int64_t> words;
    std::vector<std::int64_t> characters;
  };
  Split split(std::string_view text) const;

  const Options& options() const { return options_; }

 private:
  std::string normalize(std::string_view raw) const;
  // Word ids go to `words`, character n-gram ids to `characters` (may be the same vector).
  void collect(std::string_view raw, std::vector<std::int64_t>& words,
               std::vector<std::int64_t>& characters) const;
  void addCharNgrams(std::string_view word, std::vector<std::int64_t>& out) const;

  Options options_;
  text::Normalizer normalizer_;
  text::WordTokenizer tokenizer_;
};

}  // namespace shopdesk::model
