#include "model/checkpoint.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

#include "model/checkpoint_state.h"
#include "model/errors.h"
#include "model/safetensors.h"
#include "model/transformer_network.h"

namespace shopdesk::model {

namespace {

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Pre-training heads and buffers a sequence classifier does not use; Hugging Face skips them too.
bool isPretrainingLeftover(const std::string& name, const std::string& architecture) {
  static const char* prefixes[] = {
      "cls.", "lm_head.", "vocab_transform.", "vocab_layer_norm.", "vocab_projector.", "qa_outputs."};
  for (const char* p : prefixes)
    if (startsWith(name, p)) return true;
  if (name.ends_with("position_ids")) return true;
  return architecture == "roberta" && startsWith(name, "roberta.pooler.");
}

std::string normaliseName(std::string name) {
  // Checkpoints from before 2019 (bert-base-uncased among them) name LayerNorm parameters gamma and beta.
  if (name.ends_with(".gamma")) return name.substr(0, name.size() - 6) + ".weight";
  if (name.ends_with(".beta")) return name.substr(0, name.size() - 5) + ".bias";
  return name;
}

}  // namespace

WeightReport loadCheckpointWeights(TransformerNetworkImpl& network, const std::filesystem::path& dir,
                                   bool keepHead) {
  const auto& config = network.config();
  CheckpointState state(dir);
  const auto& file = state.file();
  // A checkpoint saved from the bare encoder (BertModel) has no "bert." prefix.
  bool prefixed = false;
  for (const auto& name : state.names()) prefixed = prefixed || startsWith(name, config.prefix());
  std::map<std::string, std::string> stored;  // the network's name of each tensor → the file's
  for (const auto& name : state.names()) {
    auto normal = normaliseName(name);
    if (!prefixed && startsWith(normal, "embeddings.")) normal = config.prefix() + normal;
    if (!prefixed && (startsWith(normal, "encoder.") || startsWith(normal, "transformer.") ||
                      startsWith(normal, "pooler.")))
      normal = config.prefix() + normal;
    stored.emplace(std::move(normal), name);
  }

  WeightReport report;
  const auto headNames = network.headParameterNames();
  const std::set<std::string> head(headNames.begin(), headNames.end());
  torch::NoGradGuard noGrad;
  for (auto& item : network.named_parameters()) {
    const auto& name = item.key();
    auto& parameter = item.value();
    const bool topLevelHead = !startsWith(name, config.prefix());
    auto it = stored.find(name);
    if (it == stored.end() || (topLevelHead && !keepHead)) {
      if (!head.count(name)) throw ArtifactError(fmt::format("{}: missing tensor '{}'", file, name));
      report.freshlyInitialised.push_back(name);
      if (it != stored.end()) {
        report.ignored.push_back(name);
        stored.erase(it);
      }
      continue;
    }
    const auto original = it->second;
    stored.erase(it);
    if (state.readInto(original, parameter)) continue;
    const auto value = state.take(original);
    if (!value.tensor.is_floating_point()) {
      throw ArtifactError(
          fmt::format("{}: tensor '{}' has dtype {}, expected a float type", file, name, value.dtype));
    }
    if (value.tensor.sizes() != parameter.sizes()) {
      throw ArtifactError(fmt::format("{}: tensor '{}' has shape [{}], the config needs [{}]", file, name,
                                      fmt::join(value.tensor.sizes(), ", "),
                                      fmt::join(parameter.sizes(), ", ")));
    }
    parameter.copy_(value.tensor);  // converts F16, BF16 and F64 to the parameter's F32
  }
  for (const auto& [name, original] : stored) {
    if (!isPretrainingLeftover(name, config.architecture))
      throw ArtifactError(fmt::format("{}: unexpected tensor '{}'", file, name));
    report.ignored.push_back(name);
  }
  return report;
}

void saveCheckpointWeights(TransformerNetworkImpl& network, const std::filesystem::path& dir) {
  TensorMap tensors;
  for (const auto& item : network.named_parameters()) {
    const auto& name = item.key();
    auto& parameter = item.value();
    const auto p = parameter.detach().contiguous().to(torch::kFloat32);
    std::vector<float> values(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
    tensors.emplace(name, floatTensor(p.sizes().vec(), values));
  }
  writeSafetensors(dir / "model.safetensors", tensors);
}

}  // namespace shopdesk::model
