#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace shopdesk::service {

//! The bearer token is not one of the store's (nor the built-in one).
class UnknownTokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! The bearer token was named and has been revoked.
class RevokedTokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Who may use the agent/admin API: the built-in token given to `serve --admin-token` (named "admin") and the
//! named tokens, one per agent, created and revoked through the API or `shopdesk tokens`. Named tokens live
//! in the store as SHA-256 hashes and are looked up on every request, so a revocation made through any server
//! takes effect at the next request on all of them.
class AdminTokens {
 public:
  //! The name under which the built-in token acts.
  static constexpr std::string_view kBuiltInName = "admin";

  //! `builtIn` is the token of `serve --admin-token`; empty where there is none (the CLI).
  AdminTokens(store::Store& store, std::string builtIn);

  //! The name of the token `secret`; throws UnknownTokenError or RevokedTokenError.
  std::string authenticate(std::string_view secret);

  //! A token created: its record and its secret, which is shown once and never stored.
  struct Issued {
    store::AdminToken token;
    std::string secret;
  };
  //! Creates the token `name` on behalf of `by`; throws InvalidValueError for a bad or reserved name,
  //! store::ConflictError when a live token has it.
  Issued create(const std::string& name, const std::string& by);
  //! Revokes the live token `name`; throws store::NotFoundError.
  void revoke(const std::string& name);
  //! Every named token, revoked ones too, newest first.
  std::vector<store::AdminToken> list();

 private:
  store::Store& store_;
  std::string builtIn_;
};

}  // namespace shopdesk::service
