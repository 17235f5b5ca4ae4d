#include "model/ngram_classifier.h"

#include <nlohmann/json.hpp>

#include "model/safetensors.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace shopdesk::model {

NgramClassifier::NgramClassifier(const Options& options, std::vector<std::string> labels)
    : options_(options), featurizer_(options.features), labels_(std::move(labels)) {}

std::vector<Ranked> NgramClassifier::predictOne(std::string_view text) const {
  const auto dim = static_cast<std::size_t>(options_.dimension);
  const auto features = featurizer_.features(text);
  std::vector<float> hidden(dim, 0.0f);
  for (auto id : features) {
    const float* row = embeddings_.data() + static_cast<std::size_t>(id) * dim;
    for (std::size_t d = 0; d < dim; ++d) hidden[d] += row[d];
  }
  if (!features.empty()) {
    const float scale = 1.0f / static_cast<float>(features.size());
    for (auto& h : hidden) h *= scale;
  }
  std::vector<Ranked> ranked(labels_.size());
  float maxLogit = -INFINITY;
  for (std::size_t c = 0; c < labels_.size(); ++c) {
    const float* w = weights_.data() + c * dim;
    float logit = bias_[c];
    for (std::size_t d = 0; d < dim; ++d) logit += w[d] * hidden[d];
    ranked[c] = {static_cast<int>(c), logit};
    maxLogit = std::max(maxLogit, logit);
  }
  float sum = 0;
  for (auto& r : ranked) sum += (r.probability = std::exp(r.probability - maxLogit));
  for (auto& r : ranked) r.probability /= sum;
  // Ties go to the lower label index, so the order never depends on the sort's internals.
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.probability > b.probability || (a.probability == b.probability && a.label < b.label);
  });
  return ranked;
}

std::vector<std::vector<Ranked>> NgramClassifier::predict(const std::vector<std::string>& texts) const {
  std::vector<std::vector<Ranked>> out(texts.size());
  // Large batches are split across the cores; a single query stays on the caller's thread.
  constexpr std::size_t kPerThread = 32;
  const std::size_t threads =
      std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), texts.size() / kPerThread);
  if (threads <= 1) {
    for (std::size_t i = 0; i < texts.size(); ++i) out[i] = predictOne(texts[i]);
    return out;
  }
  std::vector<std::thread> workers;
  const std::size_t chunk = (texts.size() + threads - 1) / threads;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = t * chunk; i < std::min(texts.size(), (t + 1) * chunk); ++i)
        out[i] = predictOne(texts[i]);
    });
  }
  for (auto& w : workers) w.join();
  return out;
}

nlohmann::json NgramClassifier::Options::toJson() const {
  return {{"buckets", features.buckets},
          {"word_ngrams", features.wordNgrams},
          {"char_min", features.charMin},
          {"char_max", features.charMax},
          {"max_words", features.maxWords},
          {"nfkc", features.normalization.nfkc},
          {"case_fold", features.normalization.caseFold},
          {"alphabetic_only", features.tokenization.alphabeticOnly},
          {"remove_stop_words", features.tokenization.removeStopWords},
          {"lemmatize", features.tokenization.lemmatize},
          {"mask_entities", features.maskEntities},
          {"dimension", dimension},
          {"epochs", epochs},
          {"batch_size", batchSize},
          {"learning_rate", learningRate},
          {"seed", seed}};
}

NgramClassifier::Options NgramClassifier::Options::fromJson(const nlohmann::json& json) {
  Options o;
  o.features.buckets = json.at("buckets").get<std::int64_t>();
  o.features.wordNgrams = json.at("word_ngrams").get<int>();
  o.features.charMin = json.at("char_min").get<int>();
  o.features.charMax = json.at("char_max").get<int>();
  o.features.maxWords = json.at("max_words").get<std::size_t>();
  o.features.normalization.nfkc = json.at("nfkc").get<bool>();
  o.features.normalization.caseFold = json.at("case_fold").get<bool>();
  o.features.tokenization.alphabeticOnly = json.at("alphabetic_only").get<bool>();
  o.features.tokenization.removeStopWords = json.at("remove_stop_words").get<bool>();
  o.features.tokenization.lemmatize = json.value("lemmatize", false);
  o.features.maskEntities = json.value("mask_entities", false);
  o.dimension = json.at("dimension").get<int>();
  o.epochs = json.at("epochs").get<int>();
  o.batchSize = json.at("batch_size").get<int>();
  o.learningRate = json.at("learning_rate").get<double>();
  o.seed = json.at("seed").get<std::uint64_t>();
  return o;
}

nlohmann::json NgramClassifier::save(const std::filesystem::path& dir) const {
  const auto dim = static_cast<std::int64_t>(options_.dimension);
  const auto k = static_cast<std::int64_t>(labels_.size());
  writeSafetensors(dir / "model.safetensors",
                   {{"embedding.weight", floatTensor({options_.features.buckets, dim}, embeddings_)},
                    {"classifier.weight", floatTensor({k, dim}, weights_)},
                    {"classifier.bias", floatTensor({k}, bias_)}});
  return options_.toJson();
}

NgramClassifier NgramClassifier::load(const std::filesystem::path& dir, const nlohmann::json& settings,
                                      std::vector<std::string> labels) {
  Options options;
  try {
    options = Options::fromJson(settings);
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(std::string("n-gram settings in model.json: ") + e.what());
  }
  NgramClassifier model(options, std::move(labels));
  // Each tensor is read straight into the model: the embedding table is most of a server's memory, and a
  // copy of the file beside it doubled the peak.
  const auto file = dir / "model.safetensors";
  SafetensorsFile tensors(file);
  for (const auto& entry : tensors.entries()) {
    if (entry.first != "embedding.weight" && entry.first != "classifier.weight" &&
        entry.first != "classifier.bias")
      throw ArtifactError(file.string() + ": unexpected tensor '" + entry.first + "'");
  }
  const auto dim = static_cast<std::int64_t>(options.dimension);
  const auto k = static_cast<std::int64_t>(model.labels_.size());
  model.embeddings_ = tensors.readFloats("embedding.weight", {options.features.buckets, dim});
  model.weights_ = tensors.readFloats("classifier.weight", {k, dim});
  model.bias_ = tensors.readFloats("classifier.bias", {k});
  return model;
}

}  // namespace shopdesk::model
