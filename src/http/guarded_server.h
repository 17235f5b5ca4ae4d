#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>

namespace shopdesk::http {

//! An httplib::Server whose connections cannot hold a worker thread for long. httplib gives each open
//! connection a thread, and its read timeout is per read, so a client sending a byte a second (slowloris) or
//! idling on keep-alive keeps that thread for as long as it likes; enough of them and nobody else is served.
//! Here a request must arrive whole within its deadline, and a connection idle between requests lets its
//! thread go as soon as another connection is waiting for one.
class GuardedServer final : public httplib::Server {
 public:
  //! `threads` workers; a request must arrive (request line, headers, body) within `requestDeadline` of its
  //! first byte.
  GuardedServer(std::size_t threads, std::chrono::milliseconds requestDeadline);

  //! After binding: lets the kernel queue SOMAXCONN connections rather than httplib's 5, beyond which a burst
  //! of new connections (customers arriving together) waits for SYN retransmits, a second and more each.
  void widenBacklog();

 private:
  // Connections accepted that no worker thread was free to take.
  std::size_t waiting() const { return waiting_.load(std::memory_order_relaxed); }
  bool process_and_close_socket(socket_t sock) override;
  // Waits for the next request's first byte; false when the connection should end instead (idle past the
  // keep-alive timeout, another connection waiting for a thread, the client gone, the server stopping).
  bool awaitRequest(socket_t sock) const;

  std::chrono::milliseconds requestDeadline_;
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace shopdesk::http
