#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shopdesk::http {

//! Per-client token buckets: each client may send `perSecond` requests a second on average, in bursts of up
//! to `burst`. Clients are told apart by address; a client that stays quiet long enough is forgotten.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  //! `perSecond` ≤ 0 turns the limiter off.
  RateLimiter(double perSecond, double burst, std::size_t maxClients = 100000);

  //! 0 when `client` may go on (and takes one token); otherwise the whole seconds until it may (Retry-After).
  int admit(const std::string& client, Clock::time_point now = Clock::now());

  bool enabled() const { return perSecond_ > 0; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };

  void forgetIdleClients(Clock::time_point now);

  double perSecond_;
  double burst_;
  std::size_t maxClients_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace shopdesk::http
