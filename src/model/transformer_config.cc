#include "model/transformer_config.h"

#include <fmt/format.h>

#include <fstream>

#include "model/safetensors.h"

namespace shopdesk::model {

namespace {

std::int64_t positive(const nlohmann::json& json, const char* key, const std::string& source) {
  if (!json.contains(key) || !json.at(key).is_number_integer() || json.at(key).get<std::int64_t>() < 1)
    throw ArtifactError(fmt::format("{}: '{}' must be a positive integer", source, key));
  return json.at(key).get<std::int64_t>();
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
  c.architecture = json.value("model_type", "");
  try {
    if (c.architecture == "bert" || c.architecture == "roberta") {
      c.hiddenSize = positive(json, "hidden_size", source);
      c.layers = positive(json, "num_hidden_layers", source);
      c.heads = positive(json, "num_attention_heads", source);
      c.intermediateSize = positive(json, "intermediate_size", source);
      c.maxPositions = positive(json, "max_position_embeddings", source);
      c.typeVocabSize = json.value("type_vocab_size", std::int64_t{2});
      c.padTokenId = json.value("pad_token_id", std::int64_t{c.architecture == "roberta" ? 1 : 0});
      c.layerNormEps = json.value("layer_norm_eps", 1e-12);
      c.activation = json.value("hidden_act", std::string("gelu"));
      c.hiddenDropout = json.value("hidden_dropout_prob", 0.1);
      c.attentionDropout = json.value("attention_probs_dropout_prob", 0.1);
      const auto& classifier = json.contains("classifier_dropout") ? json.at("classifier_dropout") : nullptr;
      c.classifierDropout = classifier.is_number() ? classifier.get<double>() : c.hiddenDropout;
    } else if (c.architecture == "distilbert") {
      c.hiddenSize = positive(json, "dim", source);
      c.layers = positive(json, "n_layers", source);
      c.heads = positive(json, "n_heads", source);
      c.intermediateSize = positive(json, "hidden_dim", source);
      c.maxPositions = positive(json, "max_position_embeddings", source);
      c.typeVocabSize = 0;
      c.padTokenId = json.value("pad_token_id", std::int64_t{0});
      c.layerNormEps = 1e-12;  // fixed in Hugging Face's DistilBERT, not read from the config
      c.activation = json.value("activation", std::string("gelu"));
      c.hiddenDropout = json.value("dropout", 0.1);
      c.attentionDropout = json.value("attention_dropout", 0.1);
      c.classifierDropout = json.value("seq_classif_dropout", 0.2);
      if (json.value("sinusoidal_pos_embds", false))
        throw ArtifactError(fmt::format("{}: sinusoidal position embeddings are not supported", source));
    } else {
      throw ArtifactError(fmt::format("{}: model_type '{}' is not supported (bert, roberta or distilbert)",
                                      source, c.architecture));
    }
    c.vocabSize = positive(json, "vocab_size", source);
    if (json.contains("id2label") && json.at("id2label").is_object()) {
      const auto& id2label = json.at("id2label");
      c.labels.resize(id2label.size());
      for (const auto& [key, value] : id2label.items()) {
        const auto id = std::stoul(key);
        if (id >= c.labels.size() || !value.is_string())
          throw ArtifactError(fmt::format("{}: id2label has a gap or a non-string at '{}'", source, key));
        c.labels[id] = value.get<std::string>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(fmt::format("{}: {}", source, e.what()));
  } catch (const std::logic_error& e) {  // std::stoul on a non-numeric id2label key
    throw ArtifactError(fmt::format("{}: id2label keys must be numbers", source));
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
