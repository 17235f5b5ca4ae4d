#include "text/utf8.h"

#include <utf8proc.h>

namespace shopdesk::text {

std::optional<std::size_t> findInvalidUtf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  std::size_t pos = 0;
  while (pos < s.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n =
        utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
    if (n <= 0) return pos;
    pos += static_cast<std::size_t>(n);
  }
  return std::nullopt;
}

std::size_t countCodepoints(std::string_view s) {
  std::size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

namespace {

bool isSpaceAt(std::string_view s, std::size_t pos, std::size_t* length) {
  utf8proc_int32_t cp = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data() + pos);
  const utf8proc_ssize_t n = utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
  if (n <= 0) return false;
  *length = static_cast<std::size_t>(n);
  const auto category = utf8proc_category(cp);
  return cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

}  // namespace

std::string_view trimSpace(std::string_view s) {
  std::size_t begin = 0;
  std::size_t length = 0;
  while (begin < s.size() && isSpaceAt(s, begin, &length)) begin += length;
  std::size_t end = s.size();
  while (end > begin) {
    // Step back to the start of the last code point.
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!isSpaceAt(s, start, &length) || start + length != end) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

}  // namespace shopdesk::text
