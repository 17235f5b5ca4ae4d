#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shopdesk::http {

//! The address a request comes from, for the rate limit. Behind a reverse proxy every request comes from the
//! proxy, so a proxy listed in `trustedProxies` is looked through: the client is the right-most address of
//! X-Forwarded-For that is not itself a trusted proxy. Addresses are compared exactly (no CIDR ranges), and
//! the header of a peer that is not trusted is ignored, since anyone can send one.
std::string clientAddress(const std::string& peer, std::string_view forwardedFor,
                          const std::vector<std::string>& trustedProxies);

}  // namespace shopdesk::http
