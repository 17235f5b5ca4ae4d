#include "service/admin_tokens.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/clock.h"
#include "service/catalog.h"
#include "service/secrets.h"

namespace shopdesk::service {

namespace {

constexpr std::size_t kMaxName = 64;

// Names appear in the audit log and in URLs (DELETE /api/v1/tokens/{name}), so they stay plain.
void checkName(const std::string& name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (name.empty() || name.size() > kMaxName || !plain) {
    throw InvalidValueError(fmt::format(
        "a token name is 1 to {} letters, digits, '.', '_' or '-' (e.g. an agent's first name)", kMaxName));
  }
  if (name == AdminTokens::kBuiltInName || name == "cli") {
    throw InvalidValueError(
        fmt::format("'{}' is reserved: it names the built-in token or the command line", name));
  }
}

}  // namespace

AdminTokens::AdminTokens(store::Store& store, std::string builtIn)
    : store_(store), builtIn_(std::move(builtIn)) {}

std::string AdminTokens::authenticate(std::string_view secret) {
  if (!builtIn_.empty() && constantTimeEquals(secret, builtIn_)) return std::string(kBuiltInName);
  // Only the hash is compared by the database, so its timing tells nothing about the secret.
  const auto token = store_.adminTokenByHash(sha256Hex(secret));
  if (!token) throw UnknownTokenError("the admin token is wrong");
  if (token->revokedAt) throw RevokedTokenError(fmt::format("the token '{}' was revoked", token->name));
  return token->name;
}

AdminTokens::Issued AdminTokens::create(const std::string& name, const std::string& by) {
  checkName(name);
  Issued issued{{name, by, common::nowMillis(), std::nullopt}, randomToken(32)};
  store_.addAdminToken(issued.token, sha256Hex(issued.secret));
  return issued;
}

void AdminTokens::revoke(const std::string& name) { store_.revokeAdminToken(name, common::nowMillis()); }

std::vector<store::AdminToken> AdminTokens::list() { return store_.adminTokens(); }

}  // namespace shopdesk::service
