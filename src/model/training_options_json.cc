// TrainingOptions::toJson apart from the rest of TrainingOptions: it needs every model's options code, which
// the request parsers (shopdesk_parsers, also linked into the fuzzers) do not link.
#include <nlohmann/json.hpp>

#include "model/model_kinds.h"
#include "model/training_options.h"

namespace shopdesk::model {

nlohmann::json TrainingOptions::toJson() const {
  const auto& k = modelKind(kind);
  nlohmann::json out = {{"kind", kind}, {"seed", seed}, {"goals", goals.toJson()}};
  if (k.fineTunesCheckpoint) {
    out["transformer"] = transformer.toJson();
  } else {
    // Every other kind trains the linear model, the n-gram model or both (auto, ensemble).
    if (k.trainsInEpochs) out["ngram"] = ngram.toJson();
    if (kind != "ngram") out["linear"] = linear.toJson();
  }
  return out;
}

}  // namespace shopdesk::model
