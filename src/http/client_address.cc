#include "http/client_address.h"

#include <algorithm>

#include "text/utf8.h"

namespace shopdesk::http {

std::string clientAddress(const std::string& peer, std::string_view forwardedFor,
                          const std::vector<std::string>& trustedProxies) {
  const auto trusted = [&](std::string_view address) {
    return std::find(trustedProxies.begin(), trustedProxies.end(), address) != trustedProxies.end();
  };
  if (!trusted(peer)) return peer;
  // Each proxy appends the address it received the request from, so the right end is the most trustworthy:
  // walk leftwards past our own proxies; whatever is left of the first other address may be forged.
  std::string_view rest = forwardedFor;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view hop =
        text::trimSpace(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (hop.empty()) continue;
    if (!trusted(hop)) return std::string(hop);
  }
  return peer;  // every hop is a trusted proxy (or there is no header): the request is the proxy's own
}

}  // namespace shopdesk::http
