#include "model/transformer_options.h"

#include <nlohmann/json.hpp>

namespace shopdesk::model {

nlohmann::json TransformerOptions::toJson() const {
  return {{"checkpoint", checkpoint},
          {"max_length", maxLength},
          {"epochs", epochs},
          {"learning_rate", learningRate},
          {"batch_size", batchSize},
          {"freeze_encoder", freezeEncoder},
          {"warmup_fraction", warmupFraction},
          {"weight_decay", weightDecay},
          {"clip_norm", clipNorm},
          {"seed", seed},
          {"int8", int8}};
}

TransformerOptions TransformerOptions::fromJson(const nlohmann::json& json) {
  TransformerOptions o;
  o.checkpoint = json.value("checkpoint", "");
  o.maxLength = json.value("max_length", o.maxLength);
  o.epochs = json.value("epochs", o.epochs);
  o.learningRate = json.value("learning_rate", o.learningRate);
  o.batchSize = json.value("batch_size", o.batchSize);
  o.freezeEncoder = json.value("freeze_encoder", o.freezeEncoder);
  o.warmupFraction = json.value("warmup_fraction", o.warmupFraction);
  o.weightDecay = json.value("weight_decay", o.weightDecay);
  o.clipNorm = json.value("clip_norm", o.clipNorm);
  o.seed = json.value("seed", o.seed);
  o.int8 = json.value("int8", false);  // models saved before int8 existed answered in float
  return o;
}

}  // namespace shopdesk::model
