#include "common/pacer.h"

#include <thread>

namespace shopdesk::common {

namespace {

thread_local Pacer* current = nullptr;

}  // namespace

Pacer::Pacer(std::function<bool()> busy, double share, std::chrono::microseconds slice,
             const std::atomic<bool>* stopping)
    : busy_(std::move(busy)),
      stopping_(stopping),
      rest_((1.0 - share) / share),
      slice_(slice),
      sliceStart_(std::chrono::steady_clock::now()) {}

void Pacer::pace() {
  if (stopping_ && stopping_->load(std::memory_order_relaxed)) throw Stopped();
  const auto worked = std::chrono::steady_clock::now() - sliceStart_;
  if (worked < slice_) return;
  // The pause is in proportion to the work since the last one, however long a step between two calls was.
  if (busy_ && busy_()) std::this_thread::sleep_for(worked * rest_);
  if (stopping_ && stopping_->load(std::memory_order_relaxed)) throw Stopped();
  sliceStart_ = std::chrono::steady_clock::now();
}

Pacer* currentPacer() { return current; }

void pace() {
  if (current) current->pace();
}

ScopedPacer::ScopedPacer(Pacer* pacer) : previous_(current) { current = pacer; }

ScopedPacer::~ScopedPacer() { current = previous_; }

}  // namespace shopdesk::common
