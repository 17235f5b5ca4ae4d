#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace httplib {
struct Request;
}

namespace shopdesk::http {

//! A request's JSON object, with typed access that turns every problem into an ApiError: 400 for malformed
//! JSON, 422 for a wrong type, a missing or empty field, or invalid UTF-8.
class JsonBody {
 public:
  //! The request's body, which must be sent as application/json (415 otherwise): a form or text/plain post,
  //! which a browser sends cross-site without asking, is never taken for JSON. With `emptyIsObject`, no body
  //! at all reads as {}.
  static JsonBody fromRequest(const httplib::Request& request, bool emptyIsObject = false);
  //! Parses `text`; objects nested deeper than `maxDepth` are refused before they are built.
  static JsonBody parse(const std::string& text, int maxDepth = 16);

  //! A required non-empty string, trimmed, at most `maxLength` characters (413 when longer).
  std::string text(const char* key, std::size_t maxLength) const;
  std::optional<std::string> optionalText(const char* key, std::size_t maxLength) const;
  bool boolean(const char* key) const;
  std::optional<bool> optionalBoolean(const char* key) const;
  const nlohmann::json& json() const { return json_; }

 private:
  explicit JsonBody(nlohmann::json json) : json_(std::move(json)) {}
  nlohmann::json json_;
};

//! The value of query parameter text `value` as an integer in [min, max]; 422 naming `name` otherwise.
std::int64_t parseInteger(const std::string& name, const std::string& value, std::int64_t min,
                          std::int64_t max);

}  // namespace shopdesk::http
