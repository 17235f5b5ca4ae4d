#pragma once

#include <functional>
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
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

//! Registers handlers with what every route needs: the admin token check (constant time), the customer rate
//! limit, JSON errors for every exception, and metrics under the route's template.
class Router {
 public:
  Router(httplib::Server& server, Context& context)
      : server_(server), context_(context), limiter_(context.config.rateLimit, context.config.rateBurst) {}

  //! `path` is the OpenAPI template; `{name}` segments match one path segment and arrive in request.matches.
  void add(const std::string& method, const std::string& path, Access access, Handler handler);

  const std::vector<RouteInfo>& routes() const { return routes_; }

 private:
  httplib::Server& server_;
  Context& context_;
  std::vector<RouteInfo> routes_;
  RateLimiter limiter_;
};

//! Writes `body` as the JSON response with `status`.
void sendJson(httplib::Response& response, int status, const std::string& body);

}  // namespace shopdesk::http
