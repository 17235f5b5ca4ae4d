#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace shopdesk::text {

//! Byte offset of the first invalid UTF-8 sequence in `s`, or nullopt when all of `s` is valid UTF-8.
std::optional<std::size_t> findInvalidUtf8(std::string_view s);

//! Number of Unicode code points in `s`, which must be valid UTF-8.
std::size_t countCodepoints(std::string_view s);

//! `s` without leading and trailing ASCII and Unicode white space.
std::string_view trimSpace(std::string_view s);

}  // namespace shopdesk::text
