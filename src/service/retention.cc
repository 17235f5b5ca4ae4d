#include "service/retention.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace shopdesk::service {

namespace {

constexpr std::int64_t kBatch = 1000;

}  // namespace

Retention::Retention(store::Store& store, int days, std::chrono::milliseconds every)
    : store_(store), days_(days), every_(every) {}

Retention::~Retention() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Retention::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        if (const auto deleted = sweep())
          spdlog::info("retention: deleted {} interactions older than {} days", deleted, days_);
      } catch (const std::exception& e) {  // the database is away: the next sweep tries again
        spdlog::warn("retention: {}", e.what());
      }
      lock.lock();
      wake_.wait_for(lock, every_, [this] { return stopping_; });
    }
  });
}

std::int64_t Retention::sweep() {
  const auto before = common::nowMillis() - days_ * 86400000LL;
  std::int64_t total = 0;
  for (;;) {
    const auto deleted = store_.deleteInteractionsBefore(before, kBatch);
    total += deleted;
    if (deleted < kBatch) return total;
  }
}

}  // namespace shopdesk::service
