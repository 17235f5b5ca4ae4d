#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/context.h"
#include "http/rate_limiter.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace shopdesk::http {

//! Who may call a route: anyone, customers (anyone, within the per-client rate limit), or the admin token.
enum class Access { kPublic, kCustomer, kAdmin };

//! A route as the OpenAPI test and the metrics see it.
struct RouteInfo {
  std::string method;
  std::string path;  //!< OpenAPI template, e.g. /api/v1/models/{version}
  Access access;
  std::string action;  //!< what the audit log calls a change made through it; empty: it changes nothing
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

//! What an admin route changed, for the audit log.
struct Audit {
  explicit Audit(std::string target = {}, nlohmann::json detail = nlohmann::json::object(),
                 std::string action = {})
      : target(std::move(target)), detail(std::move(detail)), action(std::move(action)) {}

  std::string target;     //!< what it acted on: a category, a version, …
  nlohmann::json detail;  //!< what changed; never a customer's words
  std::string action;     //!< when set, replaces the route's action name
};

//! An admin route's handler: `actor` names the token that called it. It returns what it changed, which the
//! router records once the response is a success, or nullopt when there is nothing to record.
using AdminHandler = std::function<std::optional<Audit>(const httplib::Request&, httplib::Response&,
                                                        const std::string& actor)>;

//! Registers handlers with what every route needs: the admin token check (constant time), the customer rate
//! limit, JSON errors for every exception, metrics under the route's template, and the audit log of admin
//! changes.
class Router {
 public:
  Router(httplib::Server& server, Context& context)
      : server_(server), context_(context), limiter_(context.config.rateLimit, context.config.rateBurst) {}

  //! `path` is the OpenAPI template; `{name}` segments match one path segment and arrive in request.matches.
  void add(const std::string& method, const std::string& path, Access access, Handler handler);
  //! An admin route whose successful calls the audit log records as `action` by the calling token.
  void addAdmin(const std::string& method, const std::string& path, const std::string& action,
                AdminHandler handler);

  const std::vector<RouteInfo>& routes() const { return routes_; }

 private:
  void install(const RouteInfo& route, AdminHandler handler);
  std::string checkAdmin(const httplib::Request& request);

  httplib::Server& server_;
  Context& context_;
  std::vector<RouteInfo> routes_;
  RateLimiter limiter_;
};

//! Writes `body` as the JSON response with `status`.
void sendJson(httplib::Response& response, int status, const std::string& body);

}  // namespace shopdesk::http
