#pragma once

#include <chrono>
#include <cstdint>

namespace shopdesk::common {

//! Now as Unix milliseconds: every timestamp shopdesk stores or reports is one (BIGINT columns in both SQL
//! dialects), so ranges and day buckets are the same arithmetic in SQLite and PostgreSQL.
inline std::int64_t nowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace shopdesk::common
