#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/classifier.h"
#include "model/epoch_hook.h"
#include "model/transformer_options.h"
#include "text/subword_tokenizer.h"

namespace shopdesk::model {

//! A BERT, RoBERTa or DistilBERT checkpoint fine-tuned to the store's categories. Inputs are padded only to
//! the longest text of a batch. The artifact it saves is itself a Hugging Face checkpoint folder
//! (config.json, model.safetensors, tokenizer files), so `shopdesk checkpoint` and Hugging Face can both read
//! it. Built into libshopdesk_torch: code outside it reaches it through torchModule() (model/torch_module.h).
class TransformerClassifier final : public Classifier {
 public:
  using Options = TransformerOptions;

  //! Fine-tunes `options.checkpoint` on `texts` labelled with indices into `labels`: length-bucketed batches,
  //! AdamW (no decay on biases and LayerNorms), linear warmup then decay, gradient clipping. Returns the
  //! weights of the last epoch `onEpoch` called best. Throws std::invalid_argument for bad input,
  //! ArtifactError for a checkpoint that cannot be loaded.
  static TransformerClassifier train(const std::vector<std::string>& texts, const std::vector<int>& targets,
                                     std::vector<std::string> labels, const Options& options,
                                     const EpochHook& onEpoch = {});

  //! A checkpoint as it is, with its own classification head and id2label (for `shopdesk checkpoint
  //! logits`); a checkpoint without a head gets a random one over two labels. With `int8` (where the CPU
  //! supports it) only the int8 weights of the encoder's linear layers are kept: it answers, never saves.
  static TransformerClassifier fromCheckpoint(const std::filesystem::path& dir, int maxLength = 512,
                                              bool int8 = false);

  //! Loads what save() wrote, to answer with: with Options::int8 (where the CPU supports it) only the int8
  //! weights of the encoder's linear layers are kept, and save() throws std::logic_error.
  static TransformerClassifier load(const std::filesystem::path& dir, const nlohmann::json& settings,
                                    std::vector<std::string> labels);

  std::string kind() const override { return "transformer"; }
  const std::vector<std::string>& labels() const override;
  std::vector<std::vector<Ranked>> predict(const std::vector<std::string>& texts) const override;
  nlohmann::json save(const std::filesystem::path& dir) const override;

  //! Raw logits per text, in input order; batches are padded to their longest text.
  std::vector<std::vector<float>> logits(const std::vector<std::string>& texts) const;
  //! The tokens and ids the model sees for `text`.
  text::Encoding encode(std::string_view text) const;
  const Options& options() const;
  //! Whether predictions run on int8 linear layers (Options::int8, when libtorch supports it).
  bool int8() const;

  struct State;  //!< the network, tokenizer and labels (libtorch types stay out of this header)

 private:
  explicit TransformerClassifier(std::shared_ptr<State> state) : state_(std::move(state)) {}

  std::shared_ptr<State> state_;
};

}  // namespace shopdesk::model
