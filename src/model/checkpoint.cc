#include "model/checkpoint.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/serialize.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "model/safetensors.h"
#include "model/transformer_network.h"
#include "text/subword_tokenizer.h"
#include "text/vocab_builder.h"

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

// A checkpoint tensor as libtorch holds it, with the dtype name the file gave it (for error messages).
struct Loaded {
  torch::Tensor tensor;
  std::string dtype;
};

// A stored tensor as a libtorch tensor over its own bytes (no copy: copying into a parameter converts).
Loaded toTorch(StoredTensor stored) {
  static const std::map<std::string, torch::Dtype> dtypes = {
      {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16},
      {"F64", torch::kFloat64}, {"I64", torch::kInt64},   {"I32", torch::kInt32},
      {"I16", torch::kInt16},   {"I8", torch::kInt8},     {"U8", torch::kUInt8},
      {"BOOL", torch::kBool}};
  const auto dtype = dtypes.at(stored.dtype);  // the reader only accepts these
  auto bytes = std::make_shared<std::vector<char>>(std::move(stored.bytes));
  auto tensor = torch::from_blob(
      bytes->data(), stored.shape, [bytes](void*) mutable { bytes.reset(); }, torch::dtype(dtype));
  return {tensor, stored.dtype};
}

// A checkpoint's state dict by tensor name: read one tensor at a time from model.safetensors, so a large
// model is never in memory twice over, or all at once from a PyTorch pickle (libtorch reads those whole).
class StateDict {
 public:
  explicit StateDict(const std::filesystem::path& dir) {
    if (std::filesystem::exists(dir / "model.safetensors")) {
      file_ = (dir / "model.safetensors").string();
      safetensors_.emplace(dir / "model.safetensors");
      for (const auto& [name, entry] : safetensors_->entries()) names_.push_back(name);
      return;
    }
    if (!std::filesystem::exists(dir / "pytorch_model.bin"))
      throw ArtifactError(fmt::format("{}: no model.safetensors or pytorch_model.bin", dir.string()));
    file_ = (dir / "pytorch_model.bin").string();
    std::ifstream in(file_, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      const auto value = torch::pickle_load(bytes);
      for (const auto& entry : value.toGenericDict()) {
        const auto tensor = entry.value().toTensor();
        const auto& name = entry.key().toStringRef();
        names_.push_back(name);
        pickled_.emplace(name, Loaded{tensor, std::string(tensor.dtype().name())});
      }
    } catch (const c10::Error& e) {
      throw ArtifactError(fmt::format(
          "{}: libtorch cannot read this pickle ({}); convert it to model.safetensors with Hugging Face's "
          "save_pretrained(safe_serialization=True)",
          file_, e.what_without_backtrace()));
    }
  }

  const std::string& file() const { return file_; }
  const std::vector<std::string>& names() const { return names_; }

  // Reads tensor `name` straight into `target` when nothing needs converting (F32 of its shape, from
  // safetensors), so no copy of the weights sits beside the model: for bert-base, 94 MB less at the peak.
  // Returns false, reading nothing, otherwise.
  bool readInto(const std::string& name, torch::Tensor& target) {
    if (!safetensors_) return false;
    const auto& entry = safetensors_->entries().at(name);
    if (entry.dtype != "F32" || target.scalar_type() != torch::kFloat32 || !target.is_contiguous() ||
        entry.shape != target.sizes().vec())
      return false;
    safetensors_->read(name, {static_cast<char*>(target.data_ptr()), target.nbytes()});
    return true;
  }

  // Tensor `name` (one of names()); what it held is let go here.
  Loaded take(const std::string& name) {
    if (safetensors_) return toTorch(safetensors_->read(name));
    auto node = pickled_.extract(name);
    return std::move(node.mapped());
  }

 private:
  std::string file_;
  std::vector<std::string> names_;
  std::optional<SafetensorsFile> safetensors_;
  std::map<std::string, Loaded> pickled_;
};

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
  StateDict state(dir);
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

nlohmann::json inspectCheckpoint(const std::filesystem::path& dir) {
  const auto config = TransformerConfig::read(dir / "config.json");
  nlohmann::json tensors = nlohmann::json::array();
  std::int64_t parameters = 0;
  std::string weights = "model.safetensors";
  if (std::filesystem::exists(dir / weights)) {
    const SafetensorsFile file(dir / weights);
    for (const auto& [name, entry] : file.entries()) {
      tensors.push_back({{"name", name}, {"dtype", entry.dtype}, {"shape", entry.shape}});
      parameters += StoredTensor{entry.dtype, entry.shape, {}}.elements();
    }
  } else {
    weights = "pytorch_model.bin";
    StateDict state(dir);
    for (const auto& name : state.names()) {
      const auto t = state.take(name);
      tensors.push_back({{"name", name}, {"dtype", t.dtype}, {"shape", t.tensor.sizes().vec()}});
      parameters += t.tensor.numel();
    }
  }
  const auto tokenizer = text::loadTokenizer(dir);
  return {{"path", dir.string()},
          {"architecture", config.architecture},
          {"layers", config.layers},
          {"hidden_size", config.hiddenSize},
          {"heads", config.heads},
          {"intermediate_size", config.intermediateSize},
          {"max_positions", config.maxPositions},
          {"vocab_size", config.vocabSize},
          {"activation", config.activation},
          {"layer_norm_eps", config.layerNormEps},
          {"labels", config.labels},
          {"weights", weights},
          {"parameters", parameters},
          {"tokenizer", {{"kind", tokenizer->kind()}, {"vocab_size", tokenizer->vocabSize()}}},
          {"tensors", tensors}};
}

void initCheckpoint(const std::filesystem::path& dir, const CheckpointSpec& spec,
                    const std::vector<std::string>& texts) {
  if (spec.architecture != "bert" && spec.architecture != "roberta" && spec.architecture != "distilbert")
    throw std::invalid_argument("architecture must be bert, roberta or distilbert");
  std::filesystem::create_directories(dir);
  nlohmann::json config;
  std::int64_t vocabSize = 0;
  if (spec.architecture == "roberta") {
    text::writeBpeFiles(dir, texts, spec.vocabSize);
    vocabSize = static_cast<std::int64_t>(text::loadTokenizer(dir)->vocabSize());
  } else {
    const auto vocab = text::buildWordPieceVocab(texts, spec.vocabSize, spec.lowerCase);
    std::ofstream out(dir / "vocab.txt");
    for (const auto& token : vocab) out << token << '\n';
    std::ofstream(dir / "tokenizer_config.json") << nlohmann::json{{"do_lower_case", spec.lowerCase}}.dump(2);
    vocabSize = static_cast<std::int64_t>(vocab.size());
  }
  if (spec.architecture == "distilbert") {
    config = {{"model_type", "distilbert"},
              {"dim", spec.hiddenSize},
              {"n_layers", spec.layers},
              {"n_heads", spec.heads},
              {"hidden_dim", spec.intermediateSize},
              {"activation", "gelu"},
              {"max_position_embeddings", spec.maxPositions},
              {"dropout", 0.1},
              {"attention_dropout", 0.1},
              {"seq_classif_dropout", 0.2},
              {"pad_token_id", 0},
              {"vocab_size", vocabSize}};
  } else {
    const bool roberta = spec.architecture == "roberta";
    config = {{"model_type", spec.architecture},
              {"hidden_size", spec.hiddenSize},
              {"num_hidden_layers", spec.layers},
              {"num_attention_heads", spec.heads},
              {"intermediate_size", spec.intermediateSize},
              {"hidden_act", "gelu"},
              {"hidden_dropout_prob", 0.1},
              {"attention_probs_dropout_prob", 0.1},
              // RoBERTa's positions start after the padding index, so its table is two rows longer.
              {"max_position_embeddings", spec.maxPositions + (roberta ? 2 : 0)},
              {"type_vocab_size", roberta ? 1 : 2},
              {"layer_norm_eps", roberta ? 1e-5 : 1e-12},
              {"pad_token_id", roberta ? 1 : 0},
              {"vocab_size", vocabSize}};
  }
  auto parsed = TransformerConfig::fromJson(config, (dir / "config.json").string());
  parsed.labels = spec.labels;
  torch::manual_seed(spec.seed);
  TransformerNetworkImpl network(parsed,
                                 std::max<std::int64_t>(2, static_cast<std::int64_t>(spec.labels.size())));
  std::ofstream(dir / "config.json") << parsed.toJson().dump(2) << '\n';
  if (spec.labels.empty()) {
    // A base checkpoint: the encoder only, as a pre-trained download would be.
    TensorMap tensors;
    for (const auto& item : network.named_parameters()) {
      const auto& name = item.key();
      auto& parameter = item.value();
      if (!startsWith(name, parsed.prefix())) continue;  // BERT's pooler is pre-trained, so it stays
      const auto p = parameter.detach().contiguous();
      tensors.emplace(name,
                      floatTensor(p.sizes().vec(),
                                  std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel())));
    }
    writeSafetensors(dir / "model.safetensors", tensors);
  } else {
    saveCheckpointWeights(network, dir);
  }
}

}  // namespace shopdesk::model
