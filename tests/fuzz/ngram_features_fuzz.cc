// The n-gram featurizer on any bytes (queries reach it unvalidated from the CLI and from stored data): every
// feature id is a bucket, the count is bounded by the word limit, and the same text gives the same features.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "model/ngram_features.h"

using namespace shopdesk;

namespace {

model::NgramFeaturizer makeFeaturizer() {
  model::NgramFeaturizer::Options options;
  options.buckets = 1 << 16;
  options.maxWords = 64;
  return model::NgramFeaturizer(options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto featurizer = makeFeaturizer();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto features = featurizer.features(text);
  const auto& options = featurizer.options();
  for (const auto id : features) fuzz::require(id >= 0 && id < options.buckets, "ids are buckets");
  // Each word gives itself, its n-grams that start there, and at most one character n-gram per length per
  // code point of "<word>"; words are cut at maxWords, but a word may be long. NFKC makes a code point at
  // most 18 (U+FDFA), so the bound is linear in the text.
  const std::size_t lengths = static_cast<std::size_t>(options.charMax - options.charMin + 1);
  const std::size_t bound = options.maxWords * static_cast<std::size_t>(options.wordNgrams) +
                            (18 * size + 2 * options.maxWords) * lengths;
  fuzz::require(features.size() <= bound, "features bounded by the text");
  fuzz::require(featurizer.features(text) == features, "deterministic");
  return 0;
}
