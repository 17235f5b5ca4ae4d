#include "http/json_body.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "http/api_error.h"
#include "text/utf8.h"

namespace shopdesk::http {

JsonBody JsonBody::fromRequest(const httplib::Request& request, bool emptyIsObject) {
  if (emptyIsObject && request.body.empty()) return JsonBody(nlohmann::json::object());
  std::string type = request.get_header_value("Content-Type");
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string_view media = std::string_view(type).substr(0, type.find(';'));
  if (text::trimSpace(media) != "application/json") {
    throw ApiError(415, "unsupported_media_type",
                   "send the body as JSON with 'Content-Type: application/json'");
  }
  return parse(request.body);
}

JsonBody JsonBody::parse(const std::string& text, int maxDepth) {
  if (text::findInvalidUtf8(text)) throw ApiError(400, "invalid_utf8", "the request body is not valid UTF-8");
  try {
    auto json =
        nlohmann::json::parse(text, [maxDepth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (depth > maxDepth)
            throw ApiError(400, "too_deep", fmt::format("JSON nested deeper than {} levels", maxDepth));
          return true;
        });
    if (!json.is_object()) throw ApiError(400, "malformed_json", "the request body must be a JSON object");
    return JsonBody(std::move(json));
  } catch (const nlohmann::json::exception&) {
    // Not only parse_error: a number too large for a double (1e400) is an out_of_range (found by fuzzing).
    throw ApiError(400, "malformed_json", "the request body is not valid JSON");
  }
}

std::optional<std::string> JsonBody::optionalText(const char* key, std::size_t maxLength) const {
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiError(422, "wrong_type", fmt::format("'{}' must be a string", key));
  const auto value = std::string(text::trimSpace(it->get_ref<const std::string&>()));
  if (value.empty()) throw ApiError(422, "empty_field", fmt::format("'{}' must not be empty", key));
  const auto length = text::countCodepoints(value);
  if (length > maxLength) {
    throw ApiError(413, "too_long",
                   fmt::format("'{}' is {} characters long; the limit is {}", key, length, maxLength));
  }
  return value;
}

std::string JsonBody::text(const char* key, std::size_t maxLength) const {
  auto value = optionalText(key, maxLength);
  if (!value) throw ApiError(422, "missing_field", fmt::format("'{}' is required", key));
  return *value;
}

std::optional<bool> JsonBody::optionalBoolean(const char* key) const {
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw ApiError(422, "wrong_type", fmt::format("'{}' must be true or false", key));
  return it->get<bool>();
}

bool JsonBody::boolean(const char* key) const {
  auto value = optionalBoolean(key);
  if (!value) throw ApiError(422, "missing_field", fmt::format("'{}' is required", key));
  return *value;
}

std::int64_t parseInteger(const std::string& name, const std::string& value, std::int64_t min,
                          std::int64_t max) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || number < min || number > max) {
    throw ApiError(422, "bad_parameter",
                   fmt::format("'{}' must be an integer from {} to {}", name, min, max));
  }
  return number;
}

}  // namespace shopdesk::http
