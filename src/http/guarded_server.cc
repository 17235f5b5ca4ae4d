#include "http/guarded_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace shopdesk::http {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often a connection idle between requests looks whether another one is waiting for its thread.
constexpr milliseconds kIdleSlice{100};

bool awaitSocket(socket_t sock, short events, milliseconds wait) {
  pollfd p{sock, events, 0};
  for (;;) {
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, wait.count())));
    if (ready >= 0 || errno != EINTR) return ready > 0;
  }
}

struct Address {
  std::string ip;
  int port = 0;
};

Address addressOf(socket_t sock, bool peer) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  auto* a = reinterpret_cast<sockaddr*>(&address);
  if ((peer ? ::getpeername(sock, a, &length) : ::getsockname(sock, a, &length)) != 0) return {};
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (::getnameinfo(a, length, host.data(), host.size(), service.data(), service.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return {};
  return {host.data(), std::atoi(service.data())};
}

// httplib's socket stream, with one more limit: reads fail once the request's deadline has passed, however
// steadily the bytes trickle in. It also spares the system calls a small answer does not need: it reads and
// writes before waiting (poll only when the socket is not ready), holds the response until the request is
// done so that the status line, headers and body leave in one send (httplib writes the headers and the body
// apart, two TCP segments), and asks the kernel for the connection's addresses once, not on every request.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, milliseconds readTimeout, milliseconds writeTimeout)
      : sock_(sock), readTimeout_(readTimeout), writeTimeout_(writeTimeout) {}

  void startRequest(milliseconds deadline) { deadline_ = Clock::now() + deadline; }

  bool is_readable() const override {
    const auto left = leftToRead();
    return left.count() > 0 && awaitSocket(sock_, POLLIN, left);
  }
  bool is_writable() const override { return awaitSocket(sock_, POLLOUT, writeTimeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (offset_ < filled_) {  // httplib reads a line a byte at a time: serve those from one recv
      const auto n = std::min(size, filled_ - offset_);
      std::memcpy(ptr, buffer_.data() + offset_, n);
      offset_ += n;
      return static_cast<ssize_t>(n);
    }
    // A client waiting for "100 Continue" sends its body only once it has it.
    if (!flush()) return -1;
    if (size >= buffer_.size()) return recvSome(ptr, size);
    const auto n = recvSome(buffer_.data(), buffer_.size());
    if (n <= 0) return n;
    filled_ = static_cast<size_t>(n);
    offset_ = std::min(size, filled_);
    std::memcpy(ptr, buffer_.data(), offset_);
    return static_cast<ssize_t>(offset_);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (pending_.size() + size <= kHeld) {
      pending_.append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    if (!flush()) return -1;
    return sendSome(ptr, size);
  }

  //! Sends what write() held back; false when the client stopped taking it within the write timeout.
  bool flush() {
    std::size_t sent = 0;
    while (sent < pending_.size()) {
      const auto n = sendSome(pending_.data() + sent, pending_.size() - sent);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    pending_.clear();
    return true;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (!peer_) peer_ = addressOf(sock_, true);
    ip = peer_->ip;
    port = peer_->port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (!local_) local_ = addressOf(sock_, false);
    ip = local_->ip;
    port = local_->port;
  }
  socket_t socket() const override { return sock_; }

 private:
  // A response up to this size is sent whole; a larger body goes out as httplib writes it.
  static constexpr std::size_t kHeld = 64 * 1024;

  milliseconds leftToRead() const {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    return std::min(left, readTimeout_);
  }

  ssize_t recvSome(char* ptr, size_t size) {
    for (bool waited = false;;) {
      if (deadline_ <= Clock::now()) return -1;
      const auto n = ::recv(sock_, ptr, size, MSG_DONTWAIT);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) || waited) return -1;
      if (!is_readable()) return -1;
      waited = true;
    }
  }

  ssize_t sendSome(const char* ptr, size_t size) {
    for (bool waited = false;;) {
      const auto n = ::send(sock_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) || waited) return -1;
      if (!is_writable()) return -1;
      waited = true;
    }
  }

  socket_t sock_;
  milliseconds readTimeout_, writeTimeout_;
  Clock::time_point deadline_ = Clock::now();
  std::array<char, 4096> buffer_{};
  size_t offset_ = 0, filled_ = 0;
  std::string pending_;
  mutable std::optional<Address> peer_, local_;
};

// A pool of `threads` workers in which the most recently idle one takes the next connection, so a server
// serving a few clients at a time keeps using the same few threads (and their stacks, caches and malloc
// arenas) instead of cycling through every one it has. It counts the connections queued for lack of an idle
// thread.
class StackPool final : public httplib::TaskQueue {
 public:
  StackPool(std::size_t threads, std::atomic<std::size_t>& waiting) : waiting_(waiting) {
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }

  void enqueue(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) {
      // Only a connection that no idle thread takes is waiting: one handed to a thread that has not run yet
      // is not, or every new connection would make the busy ones close theirs, and those clients' new
      // connections would do it again (wrk at 32 connections reconnected once per 13 answers).
      waiting_.fetch_add(1, std::memory_order_relaxed);
      queue_.push_back(std::move(fn));
      return;
    }
    Idle* worker = idle_.back();
    idle_.pop_back();
    worker->job = std::move(fn);
    worker->wake.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (Idle* worker : idle_) worker->wake.notify_one();
    }
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  ~StackPool() override { shutdown(); }

 private:
  struct Idle {
    std::condition_variable wake;
    std::function<void()> job;
  };

  // Takes queued connections first; once none is queued and the pool is stopping, ends.
  void work() {
    Idle self;
    std::unique_lock lock(mutex_);
    for (;;) {
      std::function<void()> job;
      if (!queue_.empty()) {
        job = std::move(queue_.front());
        queue_.pop_front();
        waiting_.fetch_sub(1, std::memory_order_relaxed);
      } else if (stopping_) {
        return;
      } else {
        idle_.push_back(&self);
        self.wake.wait(lock, [&] { return self.job || stopping_; });
        if (!self.job) {
          std::erase(idle_, &self);
          continue;
        }
        job = std::move(self.job);
        self.job = nullptr;
      }
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::atomic<std::size_t>& waiting_;
  std::mutex mutex_;
  std::vector<Idle*> idle_;  // a stack: the last one in is woken first
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

milliseconds toMillis(time_t seconds, time_t microseconds) {
  return milliseconds(seconds * 1000 + microseconds / 1000);
}

}  // namespace

GuardedServer::GuardedServer(std::size_t threads, milliseconds requestDeadline)
    : requestDeadline_(requestDeadline) {
  new_task_queue = [this, threads] { return new StackPool(threads, waiting_); };
}

void GuardedServer::widenBacklog() {
  // listen() again on a listening socket only changes its backlog.
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  DeadlineStream stream(sock, toMillis(read_timeout_sec_, read_timeout_usec_),
                        toMillis(write_timeout_sec_, write_timeout_usec_));
  bool ok = false;
  for (std::size_t served = 0; served < keep_alive_max_count_ && awaitRequest(sock); ++served) {
    stream.startRequest(requestDeadline_);
    // With connections waiting for a thread, this one's answer says "Connection: close" and frees it.
    const bool last = served + 1 == keep_alive_max_count_ || waiting() > 0;
    bool closed = false;
    ok = process_request(stream, last, closed, nullptr);
    // Whatever httplib wrote, a refusal too, leaves before the connection ends or the next request is read.
    ok = stream.flush() && ok;
    if (!ok || closed || last) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

bool GuardedServer::awaitRequest(socket_t sock) const {
  const auto until = Clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
  while (svr_sock_ != INVALID_SOCKET) {
    // A byte, or the client closing: process_request tells which.
    if (awaitSocket(sock, POLLIN, kIdleSlice)) return true;
    if (waiting() > 0 || Clock::now() >= until) return false;
  }
  return false;
}

}  // namespace shopdesk::http
