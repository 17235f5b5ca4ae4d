#include "model/ngram_features.h"

#include <algorithm>
#include <stdexcept>

#include "text/entity_extractor.h"
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

namespace {

// NFKC of ASCII is the identity and its case folding is tolower: the common case needs no utf8proc call.
bool isAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string NgramFeaturizer::normalize(std::string_view raw) const {
  if (isAscii(raw)) {
    std::string out(raw);
    if (options_.normalization.caseFold) {
      for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
  }
  // Invalid bytes are left for the tokenizer, which treats them as word boundaries; normalization would
  // refuse.
  if (text::findInvalidUtf8(raw)) return std::string(raw);
  return normalizer_.normalize(raw);
}

std::vector<std::int64_t> NgramFeaturizer::features(std::string_view raw) const {
  std::vector<std::int64_t> out;
  collect(raw, out, out);
  return out;
}

NgramFeaturizer::Split NgramFeaturizer::split(std::string_view raw) const {
  Split out;
  collect(raw, out.words, out.characters);
  return out;
}

void NgramFeaturizer::collect(std::string_view raw, std::vector<std::int64_t>& out,
                              std::vector<std::int64_t>& characters) const {
  std::string masked;
  if (options_.maskEntities) {
    // Only the built-in kinds: a model's features must not change with a server's configuration.
    static const text::EntityExtractor extractor;
    const auto found = extractor.extract(raw, std::chrono::sys_days{});
    if (!found.empty()) {
      masked = text::EntityExtractor::mask(raw, found);
      raw = masked;
    }
  }
  auto words = tokenizer_.tokenize(normalize(raw));
  if (words.size() > options_.maxWords) words.resize(options_.maxWords);

  const auto bucket = [this](std::uint64_t hash) {
    return static_cast<std::int64_t>(hash % options_.buckets);
  };
  std::vector<std::uint64_t> wordHashes;
  wordHashes.reserve(words.size());
  out.reserve(out.size() + words.size() * 12);
  for (const auto& word : words) {
    wordHashes.push_back(text::fnv1a64(word, kWordSeed));
    out.push_back(bucket(wordHashes.back()));
    if (options_.charMin > 0) addCharNgrams(word, characters);
  }
  for (int n = 2; n <= options_.wordNgrams; ++n) {
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= wordHashes.size(); ++i) {
      std::uint64_t hash = kNgramSeed;
      for (int k = 0; k < n; ++k)
        hash = (hash ^ wordHashes[i + static_cast<std::size_t>(k)]) * 0x100000001b3ULL;
      out.push_back(bucket(hash));
    }
  }
}

void NgramFeaturizer::addCharNgrams(std::string_view word, std::vector<std::int64_t>& out) const {
  // N-grams of "<word>" by code point, hashed piecewise (FNV-1a of a concatenation is FNV-1a continued), so
  // the padded word is never built and no n-gram splits a UTF-8 sequence. Words past 64 code points only
  // contribute n-grams of their first 64: enough to match, bounded in cost.
  constexpr std::size_t kMaxCodepoints = 64;
  std::size_t starts[kMaxCodepoints + 1];
  std::size_t count = 0;
  for (std::size_t i = 0; i < word.size() && count <= kMaxCodepoints; ++i) {
    if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) starts[count++] = i;
  }
  std::size_t wordEnd = word.size();
  if (count > kMaxCodepoints) {
    wordEnd = starts[kMaxCodepoints];
    count = kMaxCodepoints;
  }
  // Positions in the padded word: 0 is '<', 1..count are the code points, count + 1 is '>'.
  const std::size_t length = count + 2;
  const auto byteAt = [&](std::size_t p) { return p <= count ? starts[p - 1] : wordEnd; };
  for (std::size_t n = static_cast<std::size_t>(options_.charMin);
       n <= static_cast<std::size_t>(options_.charMax); ++n) {
    if (n >= length) break;  // the whole padded word is the word feature already
    for (std::size_t i = 0; i + n <= length; ++i) {
      std::uint64_t hash = kCharSeed;
      std::size_t first = i;
      if (first == 0) {
        hash = text::fnv1a64("<", hash);
        first = 1;
      }
      const std::size_t last = std::min(i + n, count + 1);  // one past the last code point inside the word
      if (last > first) hash = text::fnv1a64(word.substr(byteAt(first), byteAt(last) - byteAt(first)), hash);
      if (i + n == length) hash = text::fnv1a64(">", hash);
      out.push_back(static_cast<std::int64_t>(hash % options_.buckets));
    }
  }
}

}  // namespace shopdesk::model
