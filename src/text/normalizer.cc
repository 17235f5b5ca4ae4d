#include "text/normalizer.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace shopdesk::text {

std::string Normalizer::normalize(std::string_view text) const {
  if (!options_.nfkc && !options_.caseFold) return std::string(text);
  int flags = UTF8PROC_STABLE;
  if (options_.nfkc) flags |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
  if (options_.caseFold) flags |= UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE;
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &out, static_cast<utf8proc_option_t>(flags));
  if (n < 0) throw std::invalid_argument(std::string("cannot normalize text: ") + utf8proc_errmsg(n));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

}  // namespace shopdesk::text
