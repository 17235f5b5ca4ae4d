#include "model/transformer_network.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace shopdesk::model {

namespace {

torch::nn::LayerNorm layerNorm(std::int64_t size, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({size}).eps(eps));
}

}  // namespace

TransformerNetworkImpl::TransformerNetworkImpl(const TransformerConfig& config, std::int64_t labels)
    : config_(config) {
  const auto hidden = config.hiddenSize;
  const bool distil = config.architecture == "distilbert";
  encoder_ = register_module(config.architecture, std::make_shared<torch::nn::Module>());
  auto embeddings = encoder_->register_module("embeddings", std::make_shared<torch::nn::Module>());
  words_ = embeddings->register_module("word_embeddings", torch::nn::Embedding(config.vocabSize, hidden));
  positions_ =
      embeddings->register_module("position_embeddings", torch::nn::Embedding(config.maxPositions, hidden));
  if (!distil) {
    tokenTypes_ = embeddings->register_module(
        "token_type_embeddings",
        torch::nn::Embedding(std::max<std::int64_t>(1, config.typeVocabSize), hidden));
  }
  embeddingNorm_ = embeddings->register_module("LayerNorm", layerNorm(hidden, config.layerNormEps));

  auto stack =
      encoder_->register_module(distil ? "transformer" : "encoder", std::make_shared<torch::nn::Module>());
  auto list = stack->register_module("layer", std::make_shared<torch::nn::Module>());
  for (std::int64_t i = 0; i < config.layers; ++i) layers_.push_back(makeLayer(*list, i));

  if (config.architecture == "bert") {
    auto pooler = encoder_->register_module("pooler", std::make_shared<torch::nn::Module>());
    headHidden_ = pooler->register_module("dense", torch::nn::Linear(hidden, hidden));
    headOut_ = register_module("classifier", torch::nn::Linear(hidden, labels));
  } else if (config.architecture == "roberta") {
    auto head = register_module("classifier", std::make_shared<torch::nn::Module>());
    headHidden_ = head->register_module("dense", torch::nn::Linear(hidden, hidden));
    headOut_ = head->register_module("out_proj", torch::nn::Linear(hidden, labels));
  } else {
    headHidden_ = register_module("pre_classifier", torch::nn::Linear(hidden, hidden));
    headOut_ = register_module("classifier", torch::nn::Linear(hidden, labels));
  }
  initialise();
}

TransformerNetworkImpl::Layer TransformerNetworkImpl::makeLayer(torch::nn::Module& parent,
                                                                std::int64_t index) {
  const auto h = config_.hiddenSize;
  const auto inner = config_.intermediateSize;
  const auto eps = config_.layerNormEps;
  auto block = parent.register_module(std::to_string(index), std::make_shared<torch::nn::Module>());
  Layer layer;
  if (config_.architecture == "distilbert") {
    auto attention = block->register_module("attention", std::make_shared<torch::nn::Module>());
    layer.query = attention->register_module("q_lin", torch::nn::Linear(h, h));
    layer.key = attention->register_module("k_lin", torch::nn::Linear(h, h));
    layer.value = attention->register_module("v_lin", torch::nn::Linear(h, h));
    layer.attentionOut = attention->register_module("out_lin", torch::nn::Linear(h, h));
    layer.attentionNorm = block->register_module("sa_layer_norm", layerNorm(h, eps));
    auto ffn = block->register_module("ffn", std::make_shared<torch::nn::Module>());
    layer.intermediate = ffn->register_module("lin1", torch::nn::Linear(h, inner));
    layer.output = ffn->register_module("lin2", torch::nn::Linear(inner, h));
    layer.outputNorm = block->register_module("output_layer_norm", layerNorm(h, eps));
    return layer;
  }
  auto attention = block->register_module("attention", std::make_shared<torch::nn::Module>());
  auto self = attention->register_module("self", std::make_shared<torch::nn::Module>());
  layer.query = self->register_module("query", torch::nn::Linear(h, h));
  layer.key = self->register_module("key", torch::nn::Linear(h, h));
  layer.value = self->register_module("value", torch::nn::Linear(h, h));
  auto selfOutput = attention->register_module("output", std::make_shared<torch::nn::Module>());
  layer.attentionOut = selfOutput->register_module("dense", torch::nn::Linear(h, h));
  layer.attentionNorm = selfOutput->register_module("LayerNorm", layerNorm(h, eps));
  auto intermediate = block->register_module("intermediate", std::make_shared<torch::nn::Module>());
  layer.intermediate = intermediate->register_module("dense", torch::nn::Linear(h, inner));
  auto output = block->register_module("output", std::make_shared<torch::nn::Module>());
  layer.output = output->register_module("dense", torch::nn::Linear(inner, h));
  layer.outputNorm = output->register_module("LayerNorm", layerNorm(h, eps));
  return layer;
}

void TransformerNetworkImpl::initialise() {
  // Hugging Face's _init_weights: normal(0, 0.02) weights, zero biases, unit LayerNorms, a zero padding row.
  torch::NoGradGuard noGrad;
  for (auto& item : named_parameters()) {
    const auto& name = item.key();
    auto& p = item.value();
    const bool norm =
        name.find("LayerNorm") != std::string::npos || name.find("layer_norm") != std::string::npos;
    if (norm) {
      name.ends_with(".weight") ? p.fill_(1.0) : p.zero_();
    } else if (name.ends_with(".bias")) {
      p.zero_();
    } else {
      p.normal_(0.0, 0.02);
    }
  }
  if (config_.padTokenId >= 0 && config_.padTokenId < config_.vocabSize)
    words_->weight[config_.padTokenId].zero_();
}

torch::Tensor TransformerNetworkImpl::activate(const torch::Tensor& x) const {
  if (config_.activation == "gelu") return torch::gelu(x);
  if (config_.activation == "relu") return torch::relu(x);
  return torch::gelu(x, "tanh");
}

bool TransformerNetworkImpl::quantize(bool releaseFloat) {
  if (!Int8Linear::supported()) return false;
  int8_.clear();
  for (auto& layer : layers_) {
    // One product for query, key and value: the input is quantized once and the kernel called once.
    const auto qkvWeight = torch::cat({layer.query->weight, layer.key->weight, layer.value->weight});
    const auto qkvBias = torch::cat({layer.query->bias, layer.key->bias, layer.value->bias});
    int8_.push_back({std::make_shared<Int8Linear>(qkvWeight, qkvBias),
                     std::make_shared<Int8Linear>(layer.attentionOut->weight, layer.attentionOut->bias),
                     std::make_shared<Int8Linear>(layer.intermediate->weight, layer.intermediate->bias),
                     std::make_shared<Int8Linear>(layer.output->weight, layer.output->bias)});
    if (!releaseFloat) continue;
    // set_data swaps the storage under both handles, the module's member and its registered parameter.
    for (auto* linear :
         {&layer.query, &layer.key, &layer.value, &layer.attentionOut, &layer.intermediate, &layer.output})
      (*linear)->weight.set_data(torch::empty({0}, (*linear)->weight.options()));
  }
  headHiddenInt8_ = std::make_shared<Int8Linear>(headHidden_->weight, headHidden_->bias);
  floatReleased_ = releaseFloat;
  return true;
}

torch::Tensor TransformerNetworkImpl::project(std::size_t index, int which, torch::nn::Linear& linear,
                                              const torch::Tensor& x) {
  // Training needs gradients through the float weights; int8 is for inference only.
  if (!int8()) return linear(x);
  return int8_[index][static_cast<std::size_t>(which)]->forward(x);
}

torch::Tensor TransformerNetworkImpl::runLayer(std::size_t index, const torch::Tensor& x,
                                               const torch::Tensor& maskBias, bool firstOnly) {
  auto& layer = layers_[index];
  const auto batch = x.size(0);
  const auto tokens = x.size(1);
  const auto heads = config_.heads;
  const auto headSize = config_.headSize();
  const auto split = [&](const torch::Tensor& t) {
    return t.view({batch, tokens, heads, headSize}).transpose(1, 2);
  };
  torch::Tensor query, key, value;
  if (int8()) {
    const auto qkv = int8_[index][0]->forward(x).chunk(3, -1);
    query = split(qkv[0]), key = split(qkv[1]), value = split(qkv[2]);
  } else {
    query = split(layer.query(x)), key = split(layer.key(x)), value = split(layer.value(x));
  }
  const auto rows = firstOnly ? 1 : tokens;
  const auto residual = firstOnly ? x.narrow(1, 0, 1) : x;
  if (firstOnly) query = query.narrow(2, 0, 1);
  const double scale = 1.0 / std::sqrt(static_cast<double>(headSize));
  torch::Tensor scores;
  if (config_.architecture == "distilbert") {
    // DistilBERT scales the queries before the product; BERT scales the scores after it.
    scores = torch::matmul(query * scale, key.transpose(-1, -2));
  } else {
    scores = torch::matmul(query, key.transpose(-1, -2)) * scale;
  }
  scores = scores + maskBias;
  auto probabilities = torch::dropout(torch::softmax(scores, -1), config_.attentionDropout, is_training());
  auto context = torch::matmul(probabilities, value).transpose(1, 2).reshape({batch, rows, -1});
  auto attended = layer.attentionNorm(
      torch::dropout(project(index, 1, layer.attentionOut, context), config_.hiddenDropout, is_training()) +
      residual);
  auto inner = project(index, 3, layer.output, activate(project(index, 2, layer.intermediate, attended)));
  return layer.outputNorm(torch::dropout(inner, config_.hiddenDropout, is_training()) + attended);
}

torch::Tensor TransformerNetworkImpl::encode(const torch::Tensor& ids, const torch::Tensor& mask,
                                             bool firstOnly) {
  if (floatReleased_ && is_training())
    throw std::logic_error("this network kept only its int8 weights: it answers, it cannot train");
  const auto tokens = ids.size(1);
  torch::Tensor positionIds;
  if (config_.architecture == "roberta") {
    // RoBERTa numbers real tokens from padding_idx + 1; pads keep padding_idx.
    const auto real = ids.ne(config_.padTokenId).to(torch::kLong);
    positionIds = torch::cumsum(real, 1) * real + config_.padTokenId;
  } else {
    positionIds = torch::arange(tokens, ids.options()).unsqueeze(0);
  }
  auto x = words_(ids) + positions_(positionIds);
  if (tokenTypes_) x = x + tokenTypes_->weight[0];  // token_type_ids are all zero for single texts
  x = torch::dropout(embeddingNorm_(x), config_.hiddenDropout, is_training());
  // Padding gets the lowest float added to its scores (Hugging Face's choice; never -inf, which would give
  // NaN for a row of padding only).
  const auto maskBias =
      (1.0 - mask.to(x.dtype())).view({mask.size(0), 1, 1, tokens}) * std::numeric_limits<float>::lowest();
  for (std::size_t i = 0; i < layers_.size(); ++i)
    x = runLayer(i, x, maskBias, firstOnly && i + 1 == layers_.size());
  return x;
}

torch::Tensor TransformerNetworkImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask) {
  const auto first = encode(ids, mask, true).select(1, 0);
  const double p = config_.classifierDropout;
  const auto headHidden = [&](const torch::Tensor& x) {
    return int8() ? headHiddenInt8_->forward(x) : headHidden_(x);
  };
  if (config_.architecture == "bert") {
    const auto pooled = torch::tanh(headHidden(first));
    return headOut_(torch::dropout(pooled, p, is_training()));
  }
  if (config_.architecture == "roberta") {
    auto x = torch::tanh(headHidden(torch::dropout(first, p, is_training())));
    return headOut_(torch::dropout(x, p, is_training()));
  }
  auto x = torch::relu(headHidden(first));
  return headOut_(torch::dropout(x, p, is_training()));
}

std::vector<torch::Tensor> TransformerNetworkImpl::encoderParameters() {
  std::vector<torch::Tensor> out;
  for (auto& item : named_parameters()) {
    const auto& name = item.key();
    auto& p = item.value();
    if (name.rfind(config_.prefix(), 0) == 0 && name.find(".pooler.") == std::string::npos) out.push_back(p);
  }
  return out;
}

std::vector<std::string> TransformerNetworkImpl::headParameterNames() const {
  std::vector<std::string> out;
  for (const auto& item : named_parameters()) {
    const auto& name = item.key();
    if (name.rfind(config_.prefix(), 0) != 0 || name.find(".pooler.") != std::string::npos)
      out.push_back(name);
  }
  return out;
}

}  // namespace shopdesk::model
