#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shopdesk::text {

//! 64-bit FNV-1a of `s`: stable across platforms and releases, so it may be stored (duplicate detection, data
//! fingerprints). Not a cryptographic hash.
std::uint64_t fnv1a64(std::string_view s, std::uint64_t seed = 0xcbf29ce484222325ULL);

//! fnv1a64 as 16 lower-case hex digits.
std::string fingerprintHex(std::string_view s);

}  // namespace shopdesk::text
