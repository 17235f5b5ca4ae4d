#include "model/transformer_config.h"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <optional>

#include "model/safetensors.h"

namespace shopdesk::model {

namespace {

// Far above any BERT-family checkpoint, and low enough that a corrupt config fails here rather than as an
// allocation of terabytes when the network is built.
constexpr std::int64_t kMaxDimension = 1 << 20;
constexpr std::int64_t kMaxVocabulary = 1 << 24;

std::int64_t positive(const nlohmann::json& json, const char* key, const std::string& source,
                      std::int64_t max = kMaxDimension) {
  const auto it = json.find(key);
  std::int64_t value = 0;
  if (it != json.end() && it->is_number_unsigned())
    value = it->get<std::uint64_t>() <= static_cast<std::uint64_t>(max) ? it->get<std::int64_t>() : 0;
  else if (it != json.end() && it->is_number_integer())
    value = it->get<std::int64_t>();
  if (value < 1 || value > max)
    throw ArtifactError(fmt::format("{}: '{}' must be an integer from 1 to {}", source, key, max));
  return value;
}

// An optional integer field; null counts as absent, as in Hugging Face's configs. Only JSON integers that fit
// are taken: nlohmann converts a float such as 7e45 to int64 without a check, which is undefined behaviour
// (found by the fuzzer in CI).
std::int64_t integerOr(const nlohmann::json& json, const char* key, std::int64_t fallback) {
  if (!json.contains(key) || json.at(key).is_null()) return fallback;
  const auto& value = json.at(key);
  if (!value.is_number_integer() ||
      (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
    throw ArtifactError(fmt::format("'{}' must be an integer", key));
  return value.get<std::int64_t>();
}

// An optional number field; null counts as absent.
double numberOr(const nlohmann::json& json, const char* key, double fallback) {
  if (!json.contains(key) || json.at(key).is_null()) return fallback;
  if (!json.at(key).is_number()) throw ArtifactError(fmt::format("'{}' must be a number", key));
  return json.at(key).get<double>();
}

// An id2label key: a canonical decimal number ("1", never "01" or " 1", which would name the same id twice).
std::optional<std::size_t> labelId(const std::string& key) {
  std::size_t id = 0;
  const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), id);
  if (error != std::errc() || end != key.data() + key.size() || std::to_string(id) != key)
    return std::nullopt;
  return id;
}

}  // namespace

TransformerConfig TransformerConfig::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ArtifactError(fmt::format("{}: cannot read the checkpoint's config", file.string()));
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
  return fromJson(json, file.string());
}

TransformerConfig TransformerConfig::fromJson(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object()) throw ArtifactError(fmt::format("{}: expected a JSON object", source));
  TransformerConfig c;
  c.raw = json;
  try {
    c.architecture = json.value("model_type", "");
    if (c.architecture == "bert" || c.architecture == "roberta") {
      c.hiddenSize = positive(json, "hidden_size", source);
      c.layers = positive(json, "num_hidden_layers", source);
      c.heads = positive(json, "num_attention_heads", source);
      c.intermediateSize = positive(json, "intermediate_size", source);
      c.maxPositions = positive(json, "max_position_embeddings", source);
      c.typeVocabSize = integerOr(json, "type_vocab_size", 2);
      c.padTokenId = integerOr(json, "pad_token_id", c.architecture == "roberta" ? 1 : 0);
      c.layerNormEps = numberOr(json, "layer_norm_eps", 1e-12);
      c.activation = json.value("hidden_act", std::string("gelu"));
      c.hiddenDropout = numberOr(json, "hidden_dropout_prob", 0.1);
      c.attentionDropout = numberOr(json, "attention_probs_dropout_prob", 0.1);
      c.classifierDropout = numberOr(json, "classifier_dropout", c.hiddenDropout);
      if (c.typeVocabSize < 1 || c.typeVocabSize > kMaxDimension)
        throw ArtifactError(fmt::format("'type_vocab_size' must be an integer from 1 to {}", kMaxDimension));
    } else if (c.architecture == "distilbert") {
      c.hiddenSize = positive(json, "dim", source);
      c.layers = positive(json, "n_layers", source);
      c.heads = positive(json, "n_heads", source);
      c.intermediateSize = positive(json, "hidden_dim", source);
      c.maxPositions = positive(json, "max_position_embeddings", source);
      c.typeVocabSize = 0;
      c.padTokenId = integerOr(json, "pad_token_id", 0);
      c.layerNormEps = 1e-12;  // fixed in Hugging Face's DistilBERT, not read from the config
      c.activation = json.value("activation", std::string("gelu"));
      c.hiddenDropout = numberOr(json, "dropout", 0.1);
      c.attentionDropout = numberOr(json, "attention_dropout", 0.1);
      c.classifierDropout = numberOr(json, "seq_classif_dropout", 0.2);
      if (json.value("sinusoidal_pos_embds", false))
        throw ArtifactError("sinusoidal position embeddings are not supported");
    } else {
      throw ArtifactError(
          fmt::format("model_type '{}' is not supported (bert, roberta or distilbert)", c.architecture));
    }
    c.vocabSize = positive(json, "vocab_size", source, kMaxVocabulary);
    if (c.padTokenId < 0 || c.padTokenId >= c.vocabSize)
      throw ArtifactError(fmt::format("pad_token_id {} is outside the vocabulary", c.padTokenId));
    if (!(c.layerNormEps >= 0 && c.layerNormEps < 1))
      throw ArtifactError("the LayerNorm epsilon must be in [0, 1)");
    for (const double p : {c.hiddenDropout, c.attentionDropout, c.classifierDropout})
      if (!(p >= 0 && p < 1)) throw ArtifactError("dropout probabilities must be in [0, 1)");
    if (json.contains("id2label") && json.at("id2label").is_object()) {
      const auto& id2label = json.at("id2label");
      c.labels.resize(id2label.size());
      for (const auto& [key, value] : id2label.items()) {
        const auto id = labelId(key);
        if (!id || *id >= c.labels.size() || !value.is_string() ||
            value.get_ref<const std::string&>().empty() || !c.labels[*id].empty())
          throw ArtifactError(fmt::format("id2label has a gap, a repeated id or a bad label at '{}'", key));
        c.labels[*id] = value.get<std::string>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(fmt::format("{}: {}", source, e.what()));
  } catch (const ArtifactError& e) {
    const std::string message = e.what();
    if (message.starts_with(source + ":")) throw;
    throw ArtifactError(fmt::format("{}: {}", source, message));
  }
  if (c.hiddenSize % c.heads != 0) {
    throw ArtifactError(
        fmt::format("{}: hidden size {} is not divisible by {} heads", source, c.hiddenSize, c.heads));
  }
  if (c.activation != "gelu" && c.activation != "gelu_new" && c.activation != "gelu_pytorch_tanh" &&
      c.activation != "relu") {
    throw ArtifactError(fmt::format("{}: activation '{}' is not supported", source, c.activation));
  }
  return c;
}

nlohmann::json TransformerConfig::toJson() const {
  nlohmann::json json = raw;
  json["model_type"] = architecture;
  if (!labels.empty()) {
    nlohmann::json id2label = nlohmann::json::object();
    nlohmann::json label2id = nlohmann::json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) {
      id2label[std::to_string(i)] = labels[i];
      label2id[labels[i]] = i;
    }
    json["id2label"] = id2label;
    json["label2id"] = label2id;
    json["num_labels"] = labels.size();
  }
  return json;
}

}  // namespace shopdesk::model
