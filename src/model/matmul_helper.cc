#include "model/matmul_helper.h"

#include <immintrin.h>
#include <omp.h>

#include <thread>

namespace shopdesk::model {

std::atomic<int> MatmulHelper::openPasses_{0};

MatmulHelper& MatmulHelper::instance() {
  // Never destroyed: the thread sleeps until the process ends, and no static destructor joins it.
  static auto* helper = new MatmulHelper();
  return *helper;
}

MatmulHelper::MatmulHelper() {
  std::thread([this] { loop(); }).detach();
}

void MatmulHelper::openPass() { openPasses_.fetch_add(1, std::memory_order_relaxed); }

void MatmulHelper::closePass() { openPasses_.fetch_sub(1, std::memory_order_relaxed); }

void MatmulHelper::runBoth(const std::function<void(int)>& part) {
  // Another caller has the helper: both parts here are sooner than waiting for it.
  const std::unique_lock lock(callers_, std::try_to_lock);
  if (!lock) {
    part(0);
    part(1);
    return;
  }
  const auto generation = ++generation_;
  job_ = &part;
  helperError_ = nullptr;
  claim_.store(generation * 4, std::memory_order_release);
  claim_.notify_one();
  std::exception_ptr error;
  try {
    part(0);
  } catch (...) {
    error = std::current_exception();
  }
  auto waiting = generation * 4;
  if (claim_.compare_exchange_strong(waiting, generation * 4 + 2, std::memory_order_acq_rel)) {
    if (!error) part(1);  // the helper was late: doing it here is sooner than waiting for it to wake
  } else {
    // The helper runs part 1, which refers to the caller's frame: it must end before this returns or throws.
    while (helperDone_.load(std::memory_order_acquire) != generation) _mm_pause();
    if (!error) error = helperError_;
  }
  if (error) std::rethrow_exception(error);
}

void MatmulHelper::loop() {
  omp_set_num_threads(1);  // a part is one thread's share; oneDNN must not start a team of its own
  while (true) {
    auto seen = claim_.load(std::memory_order_acquire);
    if (seen % 4 == 0) {
      if (claim_.compare_exchange_strong(seen, seen + 1, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
        try {
          (*job_)(1);
        } catch (...) {
          helperError_ = std::current_exception();
        }
        helperDone_.store(seen / 4, std::memory_order_release);
      }
      continue;  // done, or the caller took it, or a newer job came: look again
    }
    if (openPasses_.load(std::memory_order_relaxed) > 0) {
      _mm_pause();  // the pass's next matmul is microseconds away
    } else {
      claim_.wait(seen, std::memory_order_acquire);
    }
  }
}

}  // namespace shopdesk::model
