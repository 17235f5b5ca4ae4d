#include "model/training_options.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "model/model_kinds.h"

namespace shopdesk::model {

void TrainingOptions::setEpochs(int epochs) { ngram.epochs = transformer.epochs = epochs; }

void TrainingOptions::setLearningRate(double rate) { ngram.learningRate = transformer.learningRate = rate; }

int TrainingOptions::epochs() const {
  const auto& k = modelKind(kind);
  if (!k.trainsInEpochs) return 0;
  return k.fineTunesCheckpoint ? transformer.epochs : ngram.epochs;
}

void TrainingOptions::check() const {
  const auto& k = modelKind(kind);
  if (k.fineTunesCheckpoint && !std::filesystem::is_directory(transformer.checkpoint)) {
    throw std::invalid_argument(fmt::format(
        "kind {} needs a checkpoint folder (a Hugging Face checkpoint: config.json, model.safetensors and "
        "its "
        "vocabulary){}",
        kind,
        transformer.checkpoint.empty() ? "" : fmt::format(": '{}' is not one", transformer.checkpoint)));
  }
}

}  // namespace shopdesk::model
