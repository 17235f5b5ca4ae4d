#include "model/unknown_words.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace shopdesk::model {

namespace {

// Words only: no word n-grams, no character n-grams, and no folding into buckets.
NgramFeaturizer::Options unigrams(NgramFeaturizer::Options terms) {
  terms.wordNgrams = 1;
  terms.charMin = 0;
  terms.buckets = std::int64_t{1} << 62;
  return terms;
}

}  // namespace

UnknownWords::UnknownWords(const NgramFeaturizer::Options& terms) : words_(unigrams(terms)) {}

UnknownWords UnknownWords::fit(const std::vector<std::string>& texts, const NgramFeaturizer::Options& terms) {
  UnknownWords out(terms);
  std::map<std::int64_t, int> counts;
  for (const auto& text : texts) {
    auto ids = out.words_.features(text);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (auto id : ids) ++counts[id];
  }
  for (const auto& [id, count] : counts) {
    out.known_.push_back(id);
    out.texts_.push_back(count);
  }
  return out;
}

double UnknownWords::unknownShare(std::string_view text, int seenIn) const {
  const auto ids = words_.features(text);
  if (ids.empty()) return 1.0;
  std::size_t unknown = 0;
  for (auto id : ids) {
    const auto it = std::lower_bound(known_.begin(), known_.end(), id);
    const bool found = it != known_.end() && *it == id;
    unknown += !found || (seenIn > 0 && !texts_.empty() &&
                          texts_[static_cast<std::size_t>(it - known_.begin())] <= seenIn);
  }
  return static_cast<double>(unknown) / static_cast<double>(ids.size());
}

double UnknownWords::share(std::string_view text) const { return unknownShare(text, 0); }

double UnknownWords::shareLeftOut(std::string_view text) const { return unknownShare(text, 1); }

void UnknownWords::addTensors(TensorMap& tensors, const std::string& prefix) const {
  tensors.emplace(prefix + "words", int64Tensor(known_));
}

UnknownWords UnknownWords::fromTensors(TensorMap& tensors, const std::string& prefix,
                                       const NgramFeaturizer::Options& terms, const std::string& file) {
  UnknownWords out(terms);
  const auto tensor = takeTensor(tensors, prefix + "words", file);
  try {
    out.known_ = tensor.toInt64s(prefix + "words");
  } catch (const ArtifactError& e) {
    throw ArtifactError(fmt::format("{}: {}", file, e.what()));
  }
  if (std::adjacent_find(out.known_.begin(), out.known_.end(), std::greater_equal<>()) != out.known_.end())
    throw ArtifactError(fmt::format("{}: tensor '{}words' is not strictly ascending", file, prefix));
  return out;
}

}  // namespace shopdesk::model
