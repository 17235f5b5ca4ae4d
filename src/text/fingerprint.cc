#include "text/fingerprint.h"

#include <fmt/format.h>

namespace shopdesk::text {

std::uint64_t fnv1a64(std::string_view s, std::uint64_t seed) {
  std::uint64_t hash = seed;
  for (unsigned char c : s) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string fingerprintHex(std::string_view s) { return fmt::format("{:016x}", fnv1a64(s)); }

}  // namespace shopdesk::text
