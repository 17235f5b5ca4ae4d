#pragma once

// Small conversions shared by the SqlStore files.
#include <optional>
#include <string>

#include "common/clock.h"
#include "store/connection.h"

namespace shopdesk::store {

inline std::int64_t toInt(const std::optional<std::string>& value) { return value ? std::stoll(*value) : 0; }

inline SqlParam optionalParam(const std::optional<std::string>& value) {
  return value ? SqlParam(*value) : SqlParam();
}

}  // namespace shopdesk::store
