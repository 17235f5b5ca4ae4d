#pragma once

// Small conversions shared by the SqlStore files.
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "store/connection.h"

namespace shopdesk::store {

inline std::int64_t toInt(const std::optional<std::string>& value) { return value ? std::stoll(*value) : 0; }

// PostgreSQL reads and writes bytea as text: a backslash, an x and two hex digits a byte.
inline std::string toHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

inline std::string fromHex(std::string_view hex) {
  if (hex.starts_with("\\x")) hex.remove_prefix(2);
  std::string out(hex.size() / 2, '\0');
  const auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(digit(hex[2 * i]) * 16 + digit(hex[2 * i + 1]));
  return out;
}

inline SqlParam optionalParam(const std::optional<std::string>& value) {
  return value ? SqlParam(*value) : SqlParam();
}

}  // namespace shopdesk::store
