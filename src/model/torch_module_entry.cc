// The entry point of libshopdesk_torch.so, which torchModule() looks up by name.
#include "model/checkpoint_tools.h"
#include "model/torch_module.h"
#include "model/transformer_classifier.h"

namespace shopdesk::model {
namespace {

std::shared_ptr<const Classifier> trainTransformer(const std::vector<std::string>& texts,
                                                   const std::vector<int>& targets,
                                                   std::vector<std::string> labels,
                                                   const TransformerOptions& options,
                                                   const EpochHook& onEpoch) {
  return std::make_shared<TransformerClassifier>(
      TransformerClassifier::train(texts, targets, std::move(labels), options, onEpoch));
}

std::shared_ptr<const Classifier> loadTransformer(const std::filesystem::path& dir,
                                                  const nlohmann::json& settings,
                                                  std::vector<std::string> labels) {
  return std::make_shared<TransformerClassifier>(
      TransformerClassifier::load(dir, settings, std::move(labels)));
}

CheckpointLogits checkpointLogits(const std::filesystem::path& dir, int maxLength,
                                  const std::vector<std::string>& texts) {
  const auto classifier = TransformerClassifier::fromCheckpoint(dir, maxLength);
  CheckpointLogits result{classifier.labels(), {}};
  for (const auto& text : texts) result.logits.push_back(classifier.logits({text}).front());
  return result;
}

}  // namespace
}  // namespace shopdesk::model

extern "C" const shopdesk::model::TorchModule* shopdesk_torch_module() {
  using namespace shopdesk::model;
  static const TorchModule module{&NgramClassifier::train, &trainTransformer,  &loadTransformer,
                                  &checkpointLogits,       &inspectCheckpoint, &initCheckpoint};
  return &module;
}
