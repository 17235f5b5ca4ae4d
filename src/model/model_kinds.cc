#include "model/model_kinds.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

namespace shopdesk::model {

const std::vector<ModelKind>& modelKinds() {
  static const std::vector<ModelKind> kinds = {
      {"auto", "trains linear, ngram and their ensemble, keeps the one that serves best on validation", false,
       true, false, true},
      {"linear", "TF-IDF word and character n-grams, linear SVM (LIBLINEAR): seconds to train", false, false,
       false, false},
      {"ngram", "hashed n-gram embeddings (fastText-like), trained in epochs with libtorch", false, true,
       false, false},
      {"ensemble", "linear and ngram, their probabilities weighted on validation", false, true, false, false},
      {"transformer", "a BERT, RoBERTa or DistilBERT checkpoint fine-tuned with libtorch", true, true, true,
       false},
  };
  return kinds;
}

const ModelKind& modelKind(std::string_view name) {
  for (const auto& kind : modelKinds()) {
    if (kind.name == name) return kind;
  }
  throw std::invalid_argument(
      fmt::format("unknown model kind '{}' ({})", name, fmt::join(modelKindNames(), ", ")));
}

std::vector<std::string> modelKindNames(bool needingNoCheckpoint) {
  std::vector<std::string> out;
  for (const auto& kind : modelKinds()) {
    if (!(needingNoCheckpoint && kind.fineTunesCheckpoint)) out.push_back(kind.name);
  }
  return out;
}

}  // namespace shopdesk::model
