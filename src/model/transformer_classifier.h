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
#include "text/subword_tokenizer.h"

namespace shopdesk::model {

//! A BERT, RoBERTa or DistilBERT checkpoint fine-tuned to the store's categories. Inputs are padded only to
//! the longest text of a batch. The artifact it saves is itself a Hugging Face checkpoint folder
//! (config.json, model.safetensors, tokenizer files), so `shopdesk checkpoint` and Hugging Face can both read
//! it.
class TransformerClassifier final : public Classifier {
 public:
  struct Options {
    std::string checkpoint;  //!< Hugging Face checkpoint folder to start from
    int maxLength = 128;     //!< tokens per text, [CLS] and [SEP] included; longer texts are truncated
    int epochs = 4;
    double learningRate = 5e-5;
    int batchSize = 16;
    bool freezeEncoder = false;  //!< train the head only: fast, a fair start on small data
    double warmupFraction = 0.1;
    double weightDecay = 0.01;
    double clipNorm = 1.0;
    int threads = 0;   //!< libtorch threads; 0 = one per core
    bool int8 = true;  //!< answer with int8 linear layers (about 4x faster, measured accuracy cost in tests)
    std::uint64_t seed = 42;
    const std::atomic<bool>* cancel = nullptr;  //!< checked before every step; set: TrainingCancelled

    nlohmann::json toJson() const;
    static Options fromJson(const nlohmann::json& json);
  };

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
