// NgramClassifier::train, the part of the n-gram model that runs on libtorch: it is built into
// libshopdesk_torch.so (model/torch_module.h), so serving a trained n-gram model never loads libtorch.
#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>

#include "model/ngram_classifier.h"

namespace shopdesk::model {

NgramClassifier NgramClassifier::train(const std::vector<std::string>& texts, const std::vector<int>& targets,
                                       std::vector<std::string> labels, const Options& options,
                                       const EpochHook& onEpoch) {
  if (texts.empty() || texts.size() != targets.size()) {
    throw std::invalid_argument("training needs as many labels as texts, and at least one text");
  }
  if (options.dimension < 1 || options.epochs < 1 || options.batchSize < 1 || !(options.learningRate > 0)) {
    throw std::invalid_argument("dimension, epochs, batch size and learning rate must be positive");
  }
  if (labels.size() < 2) throw std::invalid_argument("training needs at least two categories");
  for (int t : targets) {
    if (t < 0 || t >= static_cast<int>(labels.size()))
      throw std::invalid_argument("label index out of range");
  }
  NgramClassifier model(options, std::move(labels));
  const auto k = static_cast<std::int64_t>(model.labels_.size());
  const std::int64_t dim = options.dimension;

  std::vector<std::vector<std::int64_t>> features;
  features.reserve(texts.size());
  for (const auto& text : texts) features.push_back(model.featurizer_.features(text));

  // A generator of its own, not the process's: trainings on other threads must not move this one's draws.
  auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
  auto embedding = torch::nn::EmbeddingBag(
      torch::nn::EmbeddingBagOptions(options.features.buckets, dim).mode(torch::kMean).sparse(true));
  auto linear = torch::nn::Linear(dim, k);
  {
    torch::NoGradGuard guard;
    // fastText's initialisation: small uniform embeddings, a zero output layer.
    embedding->weight.uniform_(-1.0 / static_cast<double>(dim), 1.0 / static_cast<double>(dim), generator);
    linear->weight.zero_();
    linear->bias.zero_();
  }
  std::vector<torch::Tensor> parameters = {embedding->weight, linear->weight, linear->bias};
  torch::optim::SGD optimizer(parameters, torch::optim::SGDOptions(options.learningRate));

  // Snapshots refill the model's buffers in place: a fresh 64 MB vector each epoch cost more in page faults
  // than the epoch's training (4.5 of the 5.3 s on 1,000 examples).
  const auto snapshot = [&] {
    const auto refill = [](std::vector<float>& out, const torch::Tensor& t) {
      const auto c = t.detach().contiguous();
      out.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    refill(model.embeddings_, embedding->weight);
    refill(model.weights_, linear->weight);
    refill(model.bias_, linear->bias);
  };
  std::optional<NgramClassifier> best;
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
      // Summed, not averaged, over the batch: the learning rate then means what it means in fastText, a step
      // per example, whatever the batch size.
      const auto loss = torch::nn::functional::cross_entropy(
          logits, torch::tensor(batchTargets, torch::kLong),
          torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::SGDOptions&>(group.options())
            .lr(options.learningRate * (1.0 - step / totalSteps));
      }
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      lossSum += loss.item<double>() / static_cast<double>(batchTargets.size());
      step += 1;
    }
    if (!onEpoch) continue;
    snapshot();
    const auto verdict = onEpoch({epoch, options.epochs, lossSum / static_cast<double>(batches)}, model);
    if (verdict.best) best = model;
    if (!verdict.more) break;
  }
  if (best) return std::move(*best);
  if (!onEpoch) snapshot();
  return model;
}

}  // namespace shopdesk::model
