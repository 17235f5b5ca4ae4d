#include "model/checkpoint_tools.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/checkpoint.h"
#include "model/checkpoint_state.h"
#include "model/safetensors.h"
#include "model/transformer_network.h"
#include "text/subword_tokenizer.h"
#include "text/vocab_builder.h"

namespace shopdesk::model {

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
    CheckpointState state(dir);
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
      if (!name.starts_with(parsed.prefix())) continue;  // BERT's pooler is pre-trained, so it stays
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
