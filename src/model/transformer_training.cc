// Fine-tuning of TransformerClassifier: the part of the class that only training needs.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "model/checkpoint.h"
#include "model/errors.h"
#include "model/trainer.h"
#include "model/transformer_classifier.h"
#include "model/transformer_state.h"

namespace shopdesk::model {

namespace {

void validate(const std::vector<std::string>& texts, const std::vector<int>& targets,
              const std::vector<std::string>& labels, const TransformerClassifier::Options& o) {
  if (texts.empty() || texts.size() != targets.size())
    throw std::invalid_argument("training needs as many labels as texts, and at least one text");
  if (labels.size() < 2) throw std::invalid_argument("training needs at least two categories");
  for (int t : targets) {
    if (t < 0 || t >= static_cast<int>(labels.size()))
      throw std::invalid_argument("label index out of range");
  }
  if (o.checkpoint.empty()) throw std::invalid_argument("a transformer needs --checkpoint DIR");
  if (o.maxLength < 2 || o.epochs < 1 || o.batchSize < 1 || !(o.learningRate > 0) || o.clipNorm < 0 ||
      o.warmupFraction < 0 || o.warmupFraction >= 1 || o.weightDecay < 0) {
    throw std::invalid_argument(
        "max length must be at least 2; epochs, batch size and learning rate positive; warmup in [0, 1)");
  }
}

// Batches of similar length cut padding; shuffling within pools of 50 batches and then the batch order keeps
// the epochs random.
std::vector<std::vector<std::size_t>> lengthBuckets(const std::vector<std::vector<std::int64_t>>& ids,
                                                    std::size_t batchSize, std::mt19937_64& rng) {
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const std::size_t pool = batchSize * 50;
  for (std::size_t start = 0; start < order.size(); start += pool) {
    const auto end = order.begin() + std::min(order.size(), start + pool);
    std::stable_sort(order.begin() + start, end,
                     [&](std::size_t a, std::size_t b) { return ids[a].size() < ids[b].size(); });
  }
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t start = 0; start < order.size(); start += batchSize)
    batches.emplace_back(order.begin() + start, order.begin() + std::min(order.size(), start + batchSize));
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

bool decays(const std::string& name) {
  // Weight decay on matrices only: biases and LayerNorm gains are left alone (as in BERT's recipe).
  return !name.ends_with(".bias") && name.find("LayerNorm") == std::string::npos &&
         name.find("layer_norm") == std::string::npos;
}

}  // namespace

TransformerClassifier TransformerClassifier::train(const std::vector<std::string>& texts,
                                                   const std::vector<int>& targets,
                                                   std::vector<std::string> labels, const Options& options,
                                                   const EpochHook& onEpoch) {
  validate(texts, targets, labels, options);
  configureTorchThreads(options.threads);
  torch::manual_seed(options.seed);
  auto state = State::open(options.checkpoint, static_cast<std::int64_t>(labels.size()));
  state->options = options;
  // The checkpoint's own head is kept only when it was trained on exactly these categories.
  const auto checkpointLabels = state->network->config().labels;
  const auto report = loadCheckpointWeights(*state->network, options.checkpoint, checkpointLabels == labels);
  if (!report.freshlyInitialised.empty())
    spdlog::info("transformer: new classification head ({} tensors)", report.freshlyInitialised.size());
  state->labels = std::move(labels);
  TransformerClassifier model(state);
  auto& network = state->network;

  std::vector<torch::Tensor> withDecay, withoutDecay, trainable;
  if (options.freezeEncoder) {
    for (auto& p : network->encoderParameters()) p.set_requires_grad(false);
  }
  for (auto& item : network->named_parameters()) {
    const auto& name = item.key();
    auto& p = item.value();
    if (!p.requires_grad()) continue;
    (decays(name) ? withDecay : withoutDecay).push_back(p);
    trainable.push_back(p);
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(
      withDecay, std::make_unique<torch::optim::AdamWOptions>(
                     torch::optim::AdamWOptions(options.learningRate).weight_decay(options.weightDecay)));
  groups.emplace_back(withoutDecay, std::make_unique<torch::optim::AdamWOptions>(
                                        torch::optim::AdamWOptions(options.learningRate).weight_decay(0.0)));
  torch::optim::AdamW optimizer(std::move(groups));

  const auto ids = state->tokenize(texts);
  const auto targetTensor =
      torch::tensor(std::vector<std::int64_t>(targets.begin(), targets.end()), torch::kLong);
  std::mt19937_64 rng(options.seed);
  const auto batchSize = static_cast<std::size_t>(options.batchSize);
  const double stepsPerEpoch = static_cast<double>((texts.size() + batchSize - 1) / batchSize);
  const double totalSteps = stepsPerEpoch * options.epochs;
  const double warmupSteps = std::max(1.0, std::floor(totalSteps * options.warmupFraction));
  double step = 0;
  std::vector<torch::Tensor> best;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    network->train();
    const auto started = std::chrono::steady_clock::now();
    double lossSum = 0;
    std::int64_t tokens = 0;
    const auto batches = lengthBuckets(ids, batchSize, rng);
    for (const auto& batch : batches) {
      if (options.cancel && options.cancel->load()) throw TrainingCancelled();
      const auto [input, mask] = state->pad(ids, batch);
      tokens += mask.sum().item<std::int64_t>();
      const auto index = torch::tensor(std::vector<std::int64_t>(batch.begin(), batch.end()), torch::kLong);
      const auto loss = torch::nn::functional::cross_entropy(network->forward(input, mask),
                                                             targetTensor.index_select(0, index));
      // Linear warmup to the full rate, then linear decay to zero at the last step.
      const double scale = step < warmupSteps
                               ? (step + 1) / warmupSteps
                               : std::max(0.0, (totalSteps - step) / (totalSteps - warmupSteps));
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(options.learningRate * scale);
      optimizer.zero_grad();
      loss.backward();
      if (options.clipNorm > 0) torch::nn::utils::clip_grad_norm_(trainable, options.clipNorm);
      optimizer.step();
      lossSum += loss.item<double>();
      step += 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    network->eval();
    if (!onEpoch) continue;
    const auto verdict = onEpoch({epoch, options.epochs, lossSum / static_cast<double>(batches.size()),
                                  static_cast<double>(tokens) / std::max(seconds, 1e-9)},
                                 model);
    if (verdict.best) {
      torch::NoGradGuard noGrad;
      best.clear();
      for (const auto& p : network->parameters()) best.push_back(p.detach().clone());
    }
    if (!verdict.more) break;
  }
  network->eval();
  if (!best.empty()) {
    torch::NoGradGuard noGrad;
    auto parameters = network->parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(best[i]);
  }
  for (auto& p : network->parameters()) p.set_requires_grad(false);
  if (options.int8) network->quantize();
  return model;
}

}  // namespace shopdesk::model
