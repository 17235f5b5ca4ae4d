#pragma once

#include <string>
#include <string_view>

namespace shopdesk::text {

//! Unicode normalization before features are taken: NFKC folds look-alike forms ("ﬁ" → "fi", full-width
//! digits → ASCII) and case folding makes "Refund", "REFUND" and "refund" one word.
class Normalizer {
 public:
  struct Options {
    bool nfkc = true;
    bool caseFold = true;
  };

  Normalizer() = default;
  explicit Normalizer(Options options) : options_(options) {}

  //! `text` normalized; throws std::invalid_argument when it is not valid UTF-8.
  std::string normalize(std::string_view text) const;

 private:
  Options options_;
};

}  // namespace shopdesk::text
