#pragma once

#include <string>
#include <string_view>

namespace shopdesk::text {

//! WordNet's morphology ("stores" → "store", "bought" → "buy", "was" → "be"): the lemmatization step of the
//! original design. WordNet's C library keeps global state, so calls are serialized; the step is off by
//! default.
class Lemmatizer {
 public:
  //! The process-wide instance; throws std::runtime_error when the WordNet database (wordnet-base) is
  //! missing.
  static const Lemmatizer& instance();

  //! The lemma of a lower-case word (tried as noun, verb, then adjective), or the word itself when WordNet
  //! does not know it.
  std::string lemma(std::string_view word) const;

 private:
  Lemmatizer();
};

}  // namespace shopdesk::text
