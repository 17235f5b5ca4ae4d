#include "model/tfidf_features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

namespace shopdesk::model {

namespace {

// Character terms carry this bit, so a word and a character n-gram never share a feature.
constexpr std::int64_t kCharacterTag = std::int64_t{1} << 62;

// Calls f(id, count) for each distinct id of `ids`, sorting them, in ascending order.
template <typename Id, typename F>
void forEachCounted(std::vector<Id>& ids, F&& f) {
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i + 1;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    f(ids[i], static_cast<int>(j - i));
    i = j;
  }
}

}  // namespace

TfidfFeaturizer::Options::Options() {
  terms.buckets = kCharacterTag;  // 62-bit hashes: no folding, and the tag bit stays free
  terms.charMin = 2;
  terms.charMax = 5;
}

nlohmann::json TfidfFeaturizer::Options::toJson() const {
  return {{"word_ngrams", terms.wordNgrams},
          {"char_min", terms.charMin},
          {"char_max", terms.charMax},
          {"max_words", terms.maxWords},
          {"min_documents", minDocuments},
          {"character_weight", characterWeight},
          {"lemmatize", terms.tokenization.lemmatize},
          {"mask_entities", terms.maskEntities}};
}

TfidfFeaturizer::Options TfidfFeaturizer::Options::fromJson(const nlohmann::json& json) {
  Options o;
  o.terms.wordNgrams = json.at("word_ngrams").get<int>();
  o.terms.charMin = json.at("char_min").get<int>();
  o.terms.charMax = json.at("char_max").get<int>();
  o.terms.maxWords = json.at("max_words").get<std::size_t>();
  o.terms.tokenization.lemmatize = json.value("lemmatize", false);
  o.terms.maskEntities = json.value("mask_entities", false);
  o.minDocuments = json.at("min_documents").get<int>();
  o.characterWeight = json.at("character_weight").get<double>();
  return o;
}

TfidfFeaturizer::TfidfFeaturizer(const Options& options) : options_(options), terms_(options.terms) {
  if (options_.minDocuments < 1) throw std::invalid_argument("min_documents must be at least 1");
  if (!(options_.characterWeight >= 0)) throw std::invalid_argument("character_weight must not be negative");
}

TfidfFeaturizer TfidfFeaturizer::fit(const std::vector<std::string>& texts, const Options& options) {
  TfidfFeaturizer featurizer(options);
  absl::flat_hash_map<std::int64_t, int> documents;
  for (const auto& text : texts) {
    auto split = featurizer.terms_.split(text);
    for (auto& id : split.characters) id |= kCharacterTag;
    auto ids = std::move(split.words);
    ids.insert(ids.end(), split.characters.begin(), split.characters.end());
    forEachCounted(ids, [&](std::int64_t id, int) { ++documents[id]; });
  }
  std::vector<std::int64_t> kept;
  for (const auto& [id, count] : documents) {
    if (count >= options.minDocuments) kept.push_back(id);
  }
  // Sorted: untagged word terms first, and the same texts always give the same feature order.
  std::sort(kept.begin(), kept.end());
  const double n = static_cast<double>(texts.size());
  featurizer.hashes_ = std::move(kept);
  featurizer.idf_.reserve(featurizer.hashes_.size());
  for (auto id : featurizer.hashes_) {
    featurizer.idf_.push_back(
        static_cast<float>(std::log((1.0 + n) / (1.0 + static_cast<double>(documents[id]))) + 1.0));
  }
  featurizer.index();
  return featurizer;
}

void TfidfFeaturizer::index() {
  features_.clear();
  features_.reserve(hashes_.size());
  for (std::size_t i = 0; i < hashes_.size(); ++i)
    features_.emplace(hashes_[i], static_cast<std::int32_t>(i));
}

SparseRow TfidfFeaturizer::transform(std::string_view text) const {
  auto split = terms_.split(text);
  for (auto& id : split.characters) id |= kCharacterTag;
  SparseRow row;
  row.indices.reserve(split.words.size() + split.characters.size());
  row.values.reserve(row.indices.capacity());
  // One block at a time: sublinear tf × idf, then the block's length set to its weight. The terms are looked
  // up first, their table slots all requested before the first is read so that the cache misses overlap, and
  // only the known terms are then counted, as feature numbers.
  std::vector<std::int32_t> known;
  const auto addBlock = [&](const std::vector<std::int64_t>& ids, double weight) {
    for (const auto id : ids) features_.prefetch(id);
    known.clear();
    for (const auto id : ids) {
      const auto it = features_.find(id);
      if (it != features_.end()) known.push_back(it->second);
    }
    const std::size_t first = row.indices.size();
    double squares = 0;
    forEachCounted(known, [&](std::int32_t feature, int count) {
      const double value =
          (1.0 + std::log(static_cast<double>(count))) * idf_[static_cast<std::size_t>(feature)];
      row.indices.push_back(feature);
      row.values.push_back(static_cast<float>(value));
      squares += value * value;
    });
    if (squares > 0) {
      const auto scale = static_cast<float>(weight / std::sqrt(squares));
      for (std::size_t i = first; i < row.values.size(); ++i) row.values[i] *= scale;
    }
  };
  addBlock(split.words, 1.0);
  if (options_.characterWeight > 0) addBlock(split.characters, options_.characterWeight);
  // Features are numbered in hash order, words before characters: the row is already ascending.
  return row;
}

void TfidfFeaturizer::addTensors(TensorMap& tensors, const std::string& prefix) const {
  tensors.emplace(prefix + "terms", int64Tensor(hashes_));
  tensors.emplace(prefix + "idf", floatTensor({static_cast<std::int64_t>(idf_.size())}, idf_));
}

TfidfFeaturizer TfidfFeaturizer::fromTensors(TensorMap& tensors, const std::string& prefix,
                                             const Options& options, const std::string& file) {
  TfidfFeaturizer featurizer(options);
  const auto terms = takeTensor(tensors, prefix + "terms", file);
  const auto idf = takeTensor(tensors, prefix + "idf", file);
  try {
    featurizer.hashes_ = terms.toInt64s(prefix + "terms");
    const auto n = static_cast<std::int64_t>(featurizer.hashes_.size());
    featurizer.idf_ = idf.toFloats(prefix + "idf", {n});
  } catch (const ArtifactError& e) {
    throw ArtifactError(fmt::format("{}: {}", file, e.what()));
  }
  if (!std::is_sorted(featurizer.hashes_.begin(), featurizer.hashes_.end()) ||
      std::adjacent_find(featurizer.hashes_.begin(), featurizer.hashes_.end()) != featurizer.hashes_.end()) {
    throw ArtifactError(fmt::format("{}: tensor '{}terms' is not strictly ascending", file, prefix));
  }
  featurizer.index();
  return featurizer;
}

}  // namespace shopdesk::model
