#include "http/rate_limiter.h"

#include <gtest/gtest.h>

using shopdesk::http::RateLimiter;
using namespace std::chrono_literals;

TEST(RateLimiter, ABurstPassesThenTheClientWaitsForTheRate) {
  RateLimiter limiter(2.0, 5.0);
  const auto start = RateLimiter::Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.admit("10.0.0.1", start), 0) << i;
  EXPECT_EQ(limiter.admit("10.0.0.1", start), 1);
  // Two tokens a second: after 500 ms one more request passes, the next one waits again.
  EXPECT_EQ(limiter.admit("10.0.0.1", start + 500ms), 0);
  EXPECT_EQ(limiter.admit("10.0.0.1", start + 500ms), 1);
}

TEST(RateLimiter, ClientsHaveTheirOwnBuckets) {
  RateLimiter limiter(1.0, 1.0);
  const auto now = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.admit("a", now), 0);
  EXPECT_GT(limiter.admit("a", now), 0);
  EXPECT_EQ(limiter.admit("b", now), 0);
}

TEST(RateLimiter, RetryAfterCoversTheWholeWait) {
  RateLimiter limiter(0.25, 1.0);  // one request every 4 s
  const auto now = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.admit("a", now), 0);
  EXPECT_EQ(limiter.admit("a", now), 4);
  EXPECT_EQ(limiter.admit("a", now + 3s), 1);
  EXPECT_EQ(limiter.admit("a", now + 4s), 0);
}

TEST(RateLimiter, ABucketNeverHoldsMoreThanTheBurst) {
  RateLimiter limiter(10.0, 3.0);
  const auto now = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.admit("a", now + 1h), 0);
  EXPECT_GT(limiter.admit("a", now + 1h), 0);
}

TEST(RateLimiter, ZeroTurnsItOff) {
  RateLimiter limiter(0.0, 1.0);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.admit("a"), 0);
}

TEST(RateLimiter, AFloodOfAddressesStaysBounded) {
  RateLimiter limiter(1.0, 2.0, 100);
  const auto now = RateLimiter::Clock::now();
  // Far more distinct clients than it keeps: every newcomer still gets its burst, the busy one stays limited.
  EXPECT_EQ(limiter.admit("busy", now), 0);
  EXPECT_EQ(limiter.admit("busy", now), 0);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.admit("client-" + std::to_string(i), now), 0);
  EXPECT_EQ(limiter.admit("fresh", now), 0);
}
