#include "text/lemmatizer.h"

#include <mutex>
#include <stdexcept>
#include <vector>

// wn.h defines many short macros (NOUN, VERB, ALL, …): it stays inside this file.
#include <wn.h>

namespace shopdesk::text {

namespace {

std::mutex& wordnetMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

Lemmatizer::Lemmatizer() {
  std::lock_guard lock(wordnetMutex());
  if (wninit() != 0) throw std::runtime_error("cannot open the WordNet database: install wordnet-base");
}

const Lemmatizer& Lemmatizer::instance() {
  static const Lemmatizer lemmatizer;
  return lemmatizer;
}

std::string Lemmatizer::lemma(std::string_view word) const {
  // Verbs first: as a noun "was" would become "wa". WordNet only knows ASCII words of modest length; anything
  // else is its own lemma.
  if (word.empty() || word.size() > 64) return std::string(word);
  for (unsigned char c : word) {
    if (c >= 0x80 || c == ' ') return std::string(word);
  }
  std::vector<char> buffer(word.begin(), word.end());
  buffer.push_back('\0');
  std::lock_guard lock(wordnetMutex());
  for (int pos : {VERB, NOUN, ADJ}) {
    if (const char* base = morphstr(buffer.data(), pos)) return base;
  }
  return std::string(word);
}

}  // namespace shopdesk::text
