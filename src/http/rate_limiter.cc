#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace shopdesk::http {

RateLimiter::RateLimiter(double perSecond, double burst, std::size_t maxClients)
    : perSecond_(perSecond), burst_(std::max(1.0, burst)), maxClients_(maxClients) {}

int RateLimiter::admit(const std::string& client, Clock::time_point now) {
  if (!enabled()) return 0;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= maxClients_) forgetIdleClients(now);
    it = buckets_.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * perSecond_);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / perSecond_)));
}

// A bucket that has refilled completely holds no memory of its client worth keeping. When even that frees
// nothing (a flood of distinct addresses), start over rather than grow without bound.
void RateLimiter::forgetIdleClients(Clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    const double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
    return entry.second.tokens + elapsed * perSecond_ >= burst_;
  });
  if (buckets_.size() >= maxClients_) buckets_.clear();
}

}  // namespace shopdesk::http
