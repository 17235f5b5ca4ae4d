#pragma once

#include <chrono>
#include <cstdint>

namespace shopdesk::store {

//! Now as Unix milliseconds: every timestamp column holds these (BIGINT in both dialects), so ranges and
//! day buckets are the same arithmetic in SQLite and PostgreSQL.
inline std::int64_t nowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace shopdesk::store
