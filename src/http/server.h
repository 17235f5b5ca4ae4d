#pragma once

#include <memory>
#include <vector>

#include "http/context.h"
#include "http/router.h"

namespace shopdesk::http {

class GuardedServer;

//! The HTTP API on cpp-httplib, tuned for keep-alive load: TCP_NODELAY, a thread per connection up to
//! ServerConfig::threads (GuardedServer: slow or idle clients cannot keep them), long keep-alive, and no
//! SO_REUSEPORT (a taken port is an error, not a silent share).
class HttpServer {
 public:
  explicit HttpServer(Context& context);
  ~HttpServer();

  //! Binds host and port (port 0: any free port) and returns the port; throws std::runtime_error when taken.
  int bind();
  //! Serves until stop() is called.
  void run();
  void stop();

  const std::vector<RouteInfo>& routes() const { return router_->routes(); }

 private:
  Context& context_;
  std::unique_ptr<GuardedServer> server_;
  std::unique_ptr<Router> router_;
};

}  // namespace shopdesk::http
