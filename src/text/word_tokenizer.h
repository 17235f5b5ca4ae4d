#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace shopdesk::text {

//! Splits text into words, the classic preprocessing of the original design as optional steps. Every step is
//! off by default: removing stop words such as "not" or "never" loses meaning this task depends on ("not
//! delivered" vs "delivered"), so a model turns a step on only where it measures better.
class WordTokenizer {
 public:
  struct Options {
    bool alphabeticOnly = false;   //!< drop tokens with anything but letters (order numbers, prices)
    bool removeStopWords = false;  //!< drop English function words; negations are never in the list
    bool lemmatize = false;        //!< replace words by their WordNet lemma ("bought" → "buy")
  };

  WordTokenizer() = default;
  explicit WordTokenizer(Options options) : options_(options) {}

  //! Words of `text` (valid UTF-8): runs of letters, marks and digits, keeping inner apostrophes ("don't").
  std::vector<std::string> tokenize(std::string_view text) const;

  //! The stop-word list, lower case.
  static const std::unordered_set<std::string>& stopWords();

 private:
  Options options_;
};

}  // namespace shopdesk::text
