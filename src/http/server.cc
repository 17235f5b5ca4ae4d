#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/file.h"
#include "http/guarded_server.h"
#include "http/routes.h"

namespace shopdesk::http {

namespace {

const char* codeFor(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 429:
      return "rate_limited";
    default:
      return status < 500 ? "bad_request" : "internal";
  }
}

// The web app routes in the browser (/agent, /admin/models, ...): a reload of such a page must get
// index.html, while API paths and missing files (anything with an extension) keep their 404.
bool isAppRoute(const httplib::Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  const std::string& path = request.path;
  if (path.rfind("/api/", 0) == 0 || path == "/query" || path == "/metrics") return false;
  if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos) return false;
  const auto lastSlash = path.find_last_of('/');
  return path.find('.', lastSlash == std::string::npos ? 0 : lastSlash) == std::string::npos;
}

// The app's own files only: no inline scripts, no framing (clickjacking), API calls to the same origin.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

}  // namespace

HttpServer::HttpServer(Context& context)
    : context_(context),
      server_(std::make_unique<GuardedServer>(
          static_cast<std::size_t>(context.config.threads),
          std::chrono::milliseconds(static_cast<long long>(context.config.requestTimeoutSeconds * 1000)))) {
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(30);
  server_->set_payload_max_length(context.config.maxBodyBytes);
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Statuses set by httplib itself (unknown route, body over the limit) get the same JSON error body.
  const std::filesystem::path index =
      context.config.webDir.empty() ? std::filesystem::path() : context.config.webDir / "index.html";
  server_->set_error_handler([index](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    if (response.status == 404 && !index.empty() && isAppRoute(request) && std::filesystem::exists(index)) {
      // This handler runs outside httplib's exception guard: a web app being rebuilt under a running server
      // must give the JSON 404 below, not end the process.
      try {
        response.set_content(common::readFile(index), "text/html; charset=utf-8");
        response.status = 200;
        return;
      } catch (const common::FileError&) {
      }
    }
    const std::string message = response.status == 404   ? "no such route"
                                : response.status == 413 ? "the request body is too large"
                                                         : "the request could not be handled";
    sendJson(response, response.status,
             nlohmann::json{{"error", {{"code", codeFor(response.status)}, {"message", message}}}}.dump());
  });
  // CORS is closed unless origins are configured: a browser on another site gets no
  // Access-Control-Allow-Origin and its preflight finds no route. A configured origin gets exactly itself
  // back, never a wildcard.
  server_->set_pre_routing_handler(
      [origins = context.config.corsOrigins](const httplib::Request& request, httplib::Response& response) {
        const auto origin = request.get_header_value("Origin");
        if (origin.empty() || std::find(origins.begin(), origins.end(), origin) == origins.end())
          return httplib::Server::HandlerResponse::Unhandled;
        response.set_header("Access-Control-Allow-Origin", origin);
        response.set_header("Vary", "Origin");
        if (request.method != "OPTIONS") return httplib::Server::HandlerResponse::Unhandled;
        response.status = 204;
        response.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
        response.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization");
        response.set_header("Access-Control-Max-Age", "600");
        return httplib::Server::HandlerResponse::Handled;
      });
  server_->set_post_routing_handler([](const httplib::Request&, httplib::Response& response) {
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Content-Security-Policy", kContentSecurityPolicy);
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Referrer-Policy", "no-referrer");
  });

  router_ = std::make_unique<Router>(*server_, context_);
  addCustomerRoutes(*router_, context_);
  addAgentRoutes(*router_, context_);
  addModelRoutes(*router_, context_);
  addAccessRoutes(*router_, context_);
  addInsightRoutes(*router_, context_);
  addSystemRoutes(*router_, context_);
  if (!context.config.webDir.empty() && std::filesystem::is_directory(context.config.webDir)) {
    server_->set_mount_point("/", context.config.webDir.string());
  }
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  const auto& host = context_.config.host;
  const int port = context_.config.port;
  const int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: the port is taken or not allowed", host, port));
  server_->widenBacklog();
  return bound;
}

void HttpServer::run() { server_->listen_after_bind(); }

void HttpServer::stop() { server_->stop(); }

}  // namespace shopdesk::http
