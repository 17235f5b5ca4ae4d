#include "model/ngram_features.h"

#include <stdexcept>

#include "text/fingerprint.h"
#include "text/utf8.h"

namespace shopdesk::model {

namespace {

// Distinct seeds keep a word, the same letters as a character n-gram, and word n-grams apart.
constexpr std::uint64_t kWordSeed = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kNgramSeed = 0x84222325cbf29ce4ULL;
constexpr std::uint64_t kCharSeed = 0x9e3779b97f4a7c15ULL;

}  // namespace

NgramFeaturizer::NgramFeaturizer(Options options)
    : options_(options), normalizer_(options.normalization), tokenizer_(options.tokenization) {
  if (options_.buckets < 1) throw std::invalid_argument("n-gram buckets must be positive");
  if (options_.wordNgrams < 1) throw std::invalid_argument("word n-gram order must be at least 1");
  if (options_.charMin < 0 || (options_.charMin > 0 && options_.charMax < options_.charMin)) {
    throw std::invalid_argument("character n-gram range is empty");
  }
}

std::vector<std::int64_t> NgramFeaturizer::features(std::string_view raw) const {
  std::string normalized;
  if (text::findInvalidUtf8(raw)) {
    normalized =
        std::string(raw);  // the tokenizer treats bad bytes as boundaries; normalization would refuse
  } else {
    normalized = normalizer_.normalize(raw);
  }
  auto words = tokenizer_.tokenize(normalized);
  if (words.size() > options_.maxWords) words.resize(options_.maxWords);

  const auto bucket = [this](std::uint64_t hash) {
    return static_cast<std::int64_t>(hash % options_.buckets);
  };
  std::vector<std::uint64_t> wordHashes;
  wordHashes.reserve(words.size());
  std::vector<std::int64_t> out;
  out.reserve(words.size() * 8);
  for (const auto& word : words) {
    wordHashes.push_back(text::fnv1a64(word, kWordSeed));
    out.push_back(bucket(wordHashes.back()));
    if (options_.charMin > 0) addCharNgrams(word, out);
  }
  for (int n = 2; n <= options_.wordNgrams; ++n) {
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= wordHashes.size(); ++i) {
      std::uint64_t hash = kNgramSeed;
      for (int k = 0; k < n; ++k)
        hash = (hash ^ wordHashes[i + static_cast<std::size_t>(k)]) * 0x100000001b3ULL;
      out.push_back(bucket(hash));
    }
  }
  return out;
}

void NgramFeaturizer::addCharNgrams(std::string_view word, std::vector<std::int64_t>& out) const {
  // Code point boundaries of "<word>": an n-gram never splits a UTF-8 sequence.
  std::string padded = "<" + std::string(word) + ">";
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < padded.size(); ++i) {
    if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(padded.size());
  const std::size_t length = starts.size() - 1;
  for (std::size_t n = static_cast<std::size_t>(options_.charMin);
       n <= static_cast<std::size_t>(options_.charMax); ++n) {
    if (n >= length) break;  // the whole padded word is the word feature already
    for (std::size_t i = 0; i + n <= length; ++i) {
      const std::string_view gram(padded.data() + starts[i], starts[i + n] - starts[i]);
      out.push_back(static_cast<std::int64_t>(text::fnv1a64(gram, kCharSeed) % options_.buckets));
    }
  }
}

}  // namespace shopdesk::model
