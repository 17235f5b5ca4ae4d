#pragma once

// Small conversions shared by the SqlStore files.
#include <chrono>
#include <optional>
#include <string>

#include "store/connection.h"

namespace shopdesk::store {

inline std::int64_t nowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline std::int64_t toInt(const std::optional<std::string>& value) { return value ? std::stoll(*value) : 0; }

inline SqlParam optionalParam(const std::optional<std::string>& value) {
  return value ? SqlParam(*value) : SqlParam();
}

}  // namespace shopdesk::store
