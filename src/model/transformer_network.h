#pragma once

#include <torch/torch.h>

#include <array>
#include <memory>
#include <vector>

#include "model/int8_linear.h"
#include "model/transformer_config.h"

namespace shopdesk::model {

//! A BERT, RoBERTa or DistilBERT encoder with its sequence-classification head, written with libtorch. Its
//! parameters carry Hugging Face's names (bert.encoder.layer.0.attention.self.query.weight, …), so a
//! checkpoint's state dict maps onto named_parameters() one to one.
class TransformerNetworkImpl : public torch::nn::Module {
 public:
  //! Builds the network for `config` with `labels` outputs; weights start as Hugging Face initialises them.
  TransformerNetworkImpl(const TransformerConfig& config, std::int64_t labels);

  //! Logits [batch, labels] for token ids and attention mask [batch, tokens] (1 = token, 0 = padding).
  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& mask);
  //! The encoder's last hidden states [batch, tokens, hidden]; with `firstOnly`, the first token's alone
  //! [batch, 1, hidden], which is all the classification head reads.
  torch::Tensor encode(const torch::Tensor& ids, const torch::Tensor& mask, bool firstOnly = false);

  //! The encoder's parameters (everything but the classification head).
  std::vector<torch::Tensor> encoderParameters();
  //! Names of the head's parameters, which a base checkpoint does not have.
  std::vector<std::string> headParameterNames() const;
  const TransformerConfig& config() const { return config_; }
  //! Runs the encoder's linear layers in int8 from now on. Returns false, changing nothing, when the CPU
  //! lacks the int8 instructions. The float weights stay for saving and training unless `releaseFloat`: then
  //! each layer's are let go as soon as its int8 twin exists (a loaded model that only answers keeps a
  //! quarter of their memory), and the network can no longer train or be saved.
  bool quantize(bool releaseFloat = false);
  bool quantized() const { return !int8_.empty(); }
  //! Whether quantize() let the float weights of the encoder's linear layers go.
  bool floatReleased() const { return floatReleased_; }

 private:
  struct Layer {
    torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, attentionOut{nullptr};
    torch::nn::LayerNorm attentionNorm{nullptr};
    torch::nn::Linear intermediate{nullptr}, output{nullptr};
    torch::nn::LayerNorm outputNorm{nullptr};
  };

  Layer makeLayer(torch::nn::Module& parent, std::int64_t index);
  torch::Tensor activate(const torch::Tensor& x) const;
  //! Whether this pass runs the int8 layers (quantized, and not training: training needs float gradients).
  bool int8() const { return !int8_.empty() && !is_training(); }
  //! With `firstOnly`, the layer's output for the first token only: every token still gives its key and
  //! value, but one query attends and one row goes through the feed-forward part.
  torch::Tensor runLayer(std::size_t index, const torch::Tensor& x, const torch::Tensor& maskBias,
                         bool firstOnly);
  //! `linear(x)`, or its int8 twin (number `which` of layer `index`) once quantized.
  torch::Tensor project(std::size_t index, int which, torch::nn::Linear& linear, const torch::Tensor& x);
  void initialise();

  TransformerConfig config_;
  std::shared_ptr<torch::nn::Module> encoder_;
  torch::nn::Embedding words_{nullptr}, positions_{nullptr}, tokenTypes_{nullptr};
  torch::nn::LayerNorm embeddingNorm_{nullptr};
  std::vector<Layer> layers_;
  //! Per layer: query, key and value in one (their weights stacked), attention output, intermediate, output.
  std::vector<std::array<std::shared_ptr<const Int8Linear>, 4>> int8_;
  bool floatReleased_ = false;
  // Heads: BERT pooler + classifier; RoBERTa dense + out_proj; DistilBERT pre_classifier + classifier.
  torch::nn::Linear headHidden_{nullptr}, headOut_{nullptr};
  std::shared_ptr<const Int8Linear> headHiddenInt8_;
};
TORCH_MODULE(TransformerNetwork);

}  // namespace shopdesk::model
