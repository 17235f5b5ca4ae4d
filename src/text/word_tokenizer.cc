#include "text/word_tokenizer.h"

#include <utf8proc.h>

#include "text/lemmatizer.h"

namespace shopdesk::text {

namespace {

enum class Kind { kLetter, kDigit, kApostrophe, kOther };

Kind kindOf(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return Kind::kLetter;
    if (cp >= '0' && cp <= '9') return Kind::kDigit;
    return cp == '\'' ? Kind::kApostrophe : Kind::kOther;
  }
  if (cp == 0x2019) return Kind::kApostrophe;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return Kind::kLetter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return Kind::kDigit;
    default:
      return Kind::kOther;
  }
}

}  // namespace

const std::unordered_set<std::string>& WordTokenizer::stopWords() {
  // A short English list; "no", "not", "never", "nor" and "n't" forms are deliberately absent.
  static const std::unordered_set<std::string> words = {
      "a",    "an",    "the",   "and",  "or",    "but",    "if",    "of",     "at",  "by",    "for",
      "with", "about", "to",    "from", "in",    "on",     "into",  "is",     "are", "was",   "were",
      "be",   "been",  "being", "am",   "do",    "does",   "did",   "have",   "has", "had",   "i",
      "me",   "my",    "we",    "our",  "you",   "your",   "he",    "she",    "it",  "its",   "they",
      "them", "their", "this",  "that", "these", "those",  "there", "here",   "so",  "than",  "too",
      "very", "just",  "can",   "will", "would", "should", "could", "please", "hi",  "hello", "thanks"};
  return words;
}

std::vector<std::string> WordTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> words;
  std::string word;
  bool hasDigit = false;
  const auto flush = [&] {
    while (!word.empty() && (word.back() == '\'')) word.pop_back();
    const bool keep = !word.empty() && !(options_.alphabeticOnly && hasDigit) &&
                      !(options_.removeStopWords && stopWords().contains(word));
    if (keep)
      words.push_back(options_.lemmatize && !hasDigit ? Lemmatizer::instance().lemma(word) : std::move(word));
    word.clear();
    hasDigit = false;
  };
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp = bytes[pos];
    utf8proc_ssize_t n = 1;
    if (cp >= 0x80) {  // ASCII, most of every query, needs no decoding
      n = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
      if (n <= 0) {  // invalid byte: a word boundary, never a crash
        flush();
        ++pos;
        continue;
      }
    }
    const Kind kind = kindOf(cp);
    if (kind == Kind::kLetter || kind == Kind::kDigit) {
      hasDigit |= kind == Kind::kDigit;
      word.append(text.substr(pos, static_cast<std::size_t>(n)));
    } else if (kind == Kind::kApostrophe && !word.empty()) {
      word += '\'';  // both apostrophes become one so "don’t" and "don't" are the same word
    } else {
      flush();
    }
    pos += static_cast<std::size_t>(n);
  }
  flush();
  return words;
}

}  // namespace shopdesk::text
