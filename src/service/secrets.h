#pragma once

#include <string>
#include <string_view>

namespace shopdesk::service {

//! `bytes` random bytes from the operating system's CSPRNG, as lower-case hex.
std::string randomToken(std::size_t bytes = 16);

//! SHA-256 of `text` as lower-case hex: tokens are stored hashed, so a copy of the database lets nobody in.
std::string sha256Hex(std::string_view text);

//! Compares two secrets in time that depends only on their lengths, never on where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace shopdesk::service
