#include "model/ngram_classifier.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace shopdesk::model {

NgramClassifier::NgramClassifier(const Options& options, std::vector<std::string> labels)
    : options_(options), featurizer_(options.features), labels_(std::move(labels)) {}

NgramClassifier NgramClassifier::train(const std::vector<std::string>& texts, const std::vector<int>& targets,
                                       std::vector<std::string> labels, const Options& options,
                                       const std::function<void(const EpochProgress&)>& onEpoch) {
  if (texts.empty() || texts.size() != targets.size()) {
    throw std::invalid_argument("training needs as many labels as texts, and at least one text");
  }
  if (labels.size() < 2) throw std::invalid_argument("training needs at least two categories");
  for (int t : targets) {
    if (t < 0 || t >= static_cast<int>(labels.size())) throw std::invalid_argument("label index out of range");
  }
  NgramClassifier model(options, std::move(labels));
  const auto k = static_cast<std::int64_t>(model.labels_.size());
  const std::int64_t dim = options.dimension;

  std::vector<std::vector<std::int64_t>> features;
  features.reserve(texts.size());
  for (const auto& text : texts) features.push_back(model.featurizer_.features(text));

  torch::manual_seed(options.seed);
  auto embedding = torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(options.features.buckets, dim)
                                               .mode(torch::kMean)
                                               .sparse(true));
  auto linear = torch::nn::Linear(dim, k);
  {
    torch::NoGradGuard guard;
    // fastText's initialisation: small uniform embeddings, a zero output layer.
    embedding->weight.uniform_(-1.0 / static_cast<double>(dim), 1.0 / static_cast<double>(dim));
    linear->weight.zero_();
    linear->bias.zero_();
  }
  std::vector<torch::Tensor> parameters = {embedding->weight, linear->weight, linear->bias};
  torch::optim::SGD optimizer(parameters, torch::optim::SGDOptions(options.learningRate));

  std::vector<std::size_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  const std::size_t batches = (texts.size() + options.batchSize - 1) / options.batchSize;
  const double totalSteps = static_cast<double>(batches) * options.epochs;
  double step = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    double lossSum = 0;
    for (std::size_t b = 0; b < batches; ++b) {
      std::vector<std::int64_t> flat;
      std::vector<std::int64_t> offsets;
      std::vector<std::int64_t> batchTargets;
      const std::size_t end = std::min(order.size(), (b + 1) * options.batchSize);
      for (std::size_t j = b * options.batchSize; j < end; ++j) {
        offsets.push_back(static_cast<std::int64_t>(flat.size()));
        const auto& f = features[order[j]];
        flat.insert(flat.end(), f.begin(), f.end());
        batchTargets.push_back(targets[order[j]]);
      }
      const auto input = torch::tensor(flat, torch::kLong);
      const auto offsetTensor = torch::tensor(offsets, torch::kLong);
      const auto logits = linear(embedding(input, offsetTensor));
      // Summed, not averaged, over the batch: the learning rate then means what it means in fastText, a step per
      // example, whatever the batch size.
      const auto loss = torch::nn::functional::cross_entropy(
          logits, torch::tensor(batchTargets, torch::kLong),
          torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::SGDOptions&>(group.options()).lr(options.learningRate * (1.0 - step / totalSteps));
      }
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      lossSum += loss.item<double>() / static_cast<double>(batchTargets.size());
      step += 1;
    }
    if (onEpoch) onEpoch({epoch, options.epochs, lossSum / static_cast<double>(batches)});
  }

  const auto copy = [](const torch::Tensor& t) {
    const auto c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  model.embeddings_ = copy(embedding->weight.detach());
  model.weights_ = copy(linear->weight.detach());
  model.bias_ = copy(linear->bias.detach());
  return model;
}

std::vector<Ranked> NgramClassifier::predictOne(const std::string& text) const {
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
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.probability > b.probability; });
  return ranked;
}

std::vector<std::vector<Ranked>> NgramClassifier::predict(const std::vector<std::string>& texts) const {
  std::vector<std::vector<Ranked>> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(predictOne(text));
  return out;
}

}  // namespace shopdesk::model
