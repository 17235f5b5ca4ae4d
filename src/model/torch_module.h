#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/checkpoint_tools.h"
#include "model/classifier.h"
#include "model/epoch_hook.h"
#include "model/ngram_classifier.h"
#include "model/transformer_options.h"

namespace shopdesk::model {

//! A checkpoint's own classification head applied to texts (`shopdesk checkpoint logits`).
struct CheckpointLogits {
  std::vector<std::string> labels;
  std::vector<std::vector<float>> logits;  //!< one row per text, each text run alone (no padding)
};

//! Everything of shopdesk that runs on libtorch: n-gram and transformer training, transformer answers and
//! the checkpoint tools. It is built as libshopdesk_torch.so and loaded the first time one of these is
//! called, because libtorch brings some 280 shared libraries with it: loading them costs a second at every
//! start of `shopdesk` and 100 MB of resident pages, which a server answering with a linear or n-gram model
//! (plain C++) and every other command never use.
struct TorchModule {
  //! NgramClassifier::train.
  NgramClassifier (*trainNgram)(const std::vector<std::string>& texts, const std::vector<int>& targets,
                                std::vector<std::string> labels, const NgramClassifier::Options& options,
                                const EpochHook& onEpoch);
  //! TransformerClassifier::train.
  std::shared_ptr<const Classifier> (*trainTransformer)(const std::vector<std::string>& texts,
                                                        const std::vector<int>& targets,
                                                        std::vector<std::string> labels,
                                                        const TransformerOptions& options,
                                                        const EpochHook& onEpoch);
  //! TransformerClassifier::load.
  std::shared_ptr<const Classifier> (*loadTransformer)(const std::filesystem::path& dir,
                                                       const nlohmann::json& settings,
                                                       std::vector<std::string> labels);
  //! TransformerClassifier::fromCheckpoint, then its logits for each text alone.
  CheckpointLogits (*checkpointLogits)(const std::filesystem::path& dir, int maxLength,
                                       const std::vector<std::string>& texts);
  //! model::inspectCheckpoint.
  nlohmann::json (*inspectCheckpoint)(const std::filesystem::path& dir);
  //! model::initCheckpoint.
  void (*initCheckpoint)(const std::filesystem::path& dir, const CheckpointSpec& spec,
                         const std::vector<std::string>& texts);
};

//! The torch module: already linked into the process (the tests of its own code), else loaded from beside
//! libshopdesk_core.so. Throws std::runtime_error naming the file when it cannot be loaded.
const TorchModule& torchModule();

}  // namespace shopdesk::model
