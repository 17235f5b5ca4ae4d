#pragma once

#include <atomic>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace shopdesk::model {

//! How a transformer is fine-tuned and answers (TransformerClassifier::Options): kept apart from the
//! classifier, which is built into libshopdesk_torch, so training requests and job records are read without
//! libtorch.
struct TransformerOptions {
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
  static TransformerOptions fromJson(const nlohmann::json& json);
};

}  // namespace shopdesk::model
