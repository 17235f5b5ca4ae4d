#include "http/router.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "http/api_error.h"
#include "http/client_address.h"
#include "model/safetensors.h"
#include "service/catalog.h"
#include "service/example_file.h"
#include "service/inference_batcher.h"
#include "service/secrets.h"

namespace shopdesk::http {

namespace {

std::string errorBody(const std::string& code, const std::string& message) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

// "/api/v1/models/{version}" → "/api/v1/models/([^/]+)"
std::string toRegex(const std::string& path) {
  static const std::regex parameter(R"(\{[a-z_]+\})");
  return std::regex_replace(path, parameter, "([^/]+)");
}

}  // namespace

void sendJson(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, "application/json");
}

std::string Router::checkAdmin(const httplib::Request& request) {
  const auto header = request.get_header_value("Authorization");
  if (header.empty())
    throw ApiError(401, "unauthorized", "this route needs 'Authorization: Bearer <admin token>'");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header.starts_with(kBearer)) throw ApiError(403, "forbidden", "the admin token is wrong");
  try {
    return context_.tokens.authenticate(std::string_view(header).substr(kBearer.size()));
  } catch (const service::UnknownTokenError& e) {
    throw ApiError(403, "forbidden", e.what());
  } catch (const service::RevokedTokenError& e) {
    // 401, not 403: the client should drop the token and sign in again.
    throw ApiError(401, "token_revoked", e.what());
  }
}

void Router::add(const std::string& method, const std::string& path, Access access, Handler handler) {
  install({method, path, access, {}},
          [handler = std::move(handler)](const httplib::Request& request, httplib::Response& response,
                                         const std::string&) -> std::optional<Audit> {
            handler(request, response);
            return std::nullopt;
          });
}

void Router::addAdmin(const std::string& method, const std::string& path, const std::string& action,
                      AdminHandler handler) {
  install({method, path, Access::kAdmin, action}, std::move(handler));
}

void Router::install(const RouteInfo& route, AdminHandler handler) {
  routes_.push_back(route);
  const auto& [method, path, access, action] = route;
  auto wrapped = [this, method, path, access, action, handler = std::move(handler)](
                     const httplib::Request& request, httplib::Response& response) {
    const auto started = std::chrono::steady_clock::now();
    try {
      std::string actor;
      if (access == Access::kAdmin) actor = checkAdmin(request);
      if (access == Access::kCustomer) {
        const auto client = clientAddress(request.remote_addr, request.get_header_value("X-Forwarded-For"),
                                          context_.config.trustedProxies);
        if (const int wait = limiter_.admit(client)) {
          response.set_header("Retry-After", std::to_string(wait));
          throw ApiError(429, "rate_limited", "too many requests from this address; try again shortly");
        }
      }
      const auto audit = handler(request, response, actor);
      if (audit && response.status >= 200 && response.status < 300) {
        // The change is made: a failure to record it is logged, not turned into an error the client would
        // retry.
        try {
          context_.audit.record(actor, audit->action.empty() ? action : audit->action, audit->target,
                                audit->detail);
        } catch (const std::exception& e) {
          spdlog::error("{} {}: the audit log did not take '{}' by {}: {}", method, path, action, actor,
                        e.what());
        }
      }
    } catch (const ApiError& e) {
      if (e.status() == 503) response.set_header("Retry-After", "1");
      sendJson(response, e.status(), errorBody(e.code(), e.what()));
    } catch (const store::NotFoundError& e) {
      sendJson(response, 404, errorBody("not_found", e.what()));
    } catch (const store::ConflictError& e) {
      sendJson(response, 409, errorBody("conflict", e.what()));
    } catch (const service::InputError& e) {
      sendJson(response, 422, errorBody("invalid_file", e.what()));
    } catch (const service::InvalidValueError& e) {
      sendJson(response, 422, errorBody("bad_value", e.what()));
    } catch (const service::NoModelError& e) {
      response.set_header("Retry-After", "5");
      sendJson(response, 503, errorBody("no_model", "no model is loaded yet: train and activate one"));
    } catch (const service::OverloadedError& e) {
      response.set_header("Retry-After", "1");
      sendJson(response, 503, errorBody("overloaded", e.what()));
    } catch (const store::StoreError& e) {
      // Details name the database; they go to the log, not to the client.
      spdlog::error("{} {}: {}", method, path, e.what());
      response.set_header("Retry-After", "1");
      sendJson(response, 503,
               errorBody("database_unavailable", "the database is unavailable; try again shortly"));
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", method, path, e.what());
      sendJson(response, 500, errorBody("internal", "internal error"));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    context_.metrics.observeRequest(method, path, response.status, seconds);
  };
  const auto pattern = toRegex(path);
  if (method == "GET")
    server_.Get(pattern, wrapped);
  else if (method == "POST")
    server_.Post(pattern, wrapped);
  else if (method == "PUT")
    server_.Put(pattern, wrapped);
  else if (method == "DELETE")
    server_.Delete(pattern, wrapped);
  else
    throw std::invalid_argument("unsupported method " + method);
}

}  // namespace shopdesk::http
