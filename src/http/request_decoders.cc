#include "http/request_decoders.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <httplib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "http/api_error.h"
#include "model/model_kinds.h"

namespace shopdesk::http {

std::int64_t pathId(const httplib::Request& request) {
  return parseInteger("id", request.matches[1], 1, INT64_MAX);
}

std::optional<std::string> param(const httplib::Request& request, const char* name) {
  if (!request.has_param(name)) return std::nullopt;
  return request.get_param_value(name);
}

std::optional<std::int64_t> integerParam(const httplib::Request& request, const char* name, std::int64_t min,
                                         std::int64_t max) {
  const auto value = param(request, name);
  if (!value) return std::nullopt;
  return parseInteger(name, *value, min, max);
}

std::vector<store::Recommendation> recommendationsFromJson(const nlohmann::json& json) {
  if (!json.is_array()) throw ApiError(422, "wrong_type", "'recommendations' must be an array");
  std::vector<store::Recommendation> out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const auto& item = json[i];
    const auto text = [&](const nlohmann::json& object, const char* key) {
      if (!object.is_object() || !object.contains(key) || !object[key].is_string() ||
          object[key].get_ref<const std::string&>().empty()) {
        throw ApiError(422, "wrong_type",
                       fmt::format("recommendations[{}].{} must be a non-empty string", i, key));
      }
      return object[key].get<std::string>();
    };
    store::Recommendation r{text(item, "title"), text(item, "body"), std::nullopt, std::nullopt};
    if (item.contains("action") && !item["action"].is_null()) {
      r.actionLabel = text(item["action"], "label");
      r.actionUrl = text(item["action"], "url");
    }
    out.push_back(std::move(r));
  }
  return out;
}

TrainingRequest trainingRequestFromJson(const JsonBody& body) {
  TrainingRequest request;
  auto& options = request.options;
  const auto kinds = model::modelKindNames();
  options.kind = body.optionalText("kind", 20).value_or(kinds.front());
  if (std::find(kinds.begin(), kinds.end(), options.kind) == kinds.end())
    throw ApiError(422, "bad_value", fmt::format("'kind' must be one of {}", fmt::join(kinds, ", ")));
  const auto& kind = model::modelKind(options.kind);
  const auto& json = body.json();
  const auto fraction = [&](const char* key, double& target) {
    if (!json.contains(key)) return;
    if (!json[key].is_number() || !(json[key].get<double>() >= 0) || json[key].get<double>() > 1)
      throw ApiError(422, "bad_value", fmt::format("'{}' must be a number from 0 to 1", key));
    target = json[key].get<double>();
  };
  fraction("answer_precision", options.goals.answerPrecision);
  fraction("out_of_scope_handoff", options.goals.outOfScopeHandoff);
  fraction("clarify_usefulness", options.goals.clarifyUsefulness);
  options.outOfScopeClass = body.optionalBoolean("out_of_scope_class").value_or(true);
  const auto number = [&](const char* key, std::int64_t min, std::int64_t max, auto& target) {
    if (!json.contains(key)) return;
    // An unsigned value above INT64_MAX is not in range either; reading it as int64 would wrap it.
    const auto& value = json[key];
    const bool inRange =
        value.is_number_integer() && !(value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX);
    if (!inRange || value.get<std::int64_t>() < min || value.get<std::int64_t>() > max) {
      throw ApiError(422, "bad_value", fmt::format("'{}' must be an integer from {} to {}", key, min, max));
    }
    target = value.get<std::int64_t>();
  };
  if (json.contains("epochs")) {
    int epochs = 0;
    number("epochs", 1, 1000, epochs);
    options.setEpochs(epochs);
  }
  auto& t = options.transformer;
  const auto checkpoint = body.optionalText("checkpoint", 4096);
  number("max_length", 2, 4096, t.maxLength);
  number("batch_size", 1, 1024, t.batchSize);
  t.freezeEncoder = body.optionalBoolean("freeze_encoder").value_or(false);
  if (json.contains("learning_rate")) {
    if (!json["learning_rate"].is_number() || !(json["learning_rate"].get<double>() > 0) ||
        json["learning_rate"].get<double>() > 1)
      throw ApiError(422, "bad_value", "'learning_rate' must be a number in (0, 1]");
    if (!kind.trainsInEpochs)
      throw ApiError(
          422, "bad_value",
          fmt::format("'learning_rate' does not apply to kind {}: it learns in no epochs", kind.name));
    options.setLearningRate(json["learning_rate"].get<double>());
  }
  if (!kind.fineTunesCheckpoint) {
    for (const char* key : {"checkpoint", "max_length", "batch_size", "freeze_encoder"})
      if (json.contains(key))
        throw ApiError(
            422, "bad_value",
            fmt::format("'{}' applies only to a kind that fine-tunes a checkpoint (transformer)", key));
  }
  t.checkpoint = checkpoint.value_or("");
  std::int64_t seed = static_cast<std::int64_t>(options.seed);
  number("seed", 0, INT64_MAX, seed);
  options.seed = static_cast<std::uint64_t>(seed);
  request.activate = body.optionalBoolean("activate").value_or(false);
  try {
    options.check();
  } catch (const std::invalid_argument& e) {
    throw ApiError(422, "bad_value", fmt::format("{}: name one on the server as 'checkpoint'", e.what()));
  }
  return request;
}

}  // namespace shopdesk::http
