#pragma once

#include <pthread.h>
#include <sched.h>

#include <future>
#include <thread>
#include <utility>

#include "common/pacer.h"

namespace shopdesk::common {

//! Runs `work` on a thread of its own under Linux's SCHED_IDLE policy and returns its result (or rethrows its
//! exception): a long computation asked for by an admin then takes only the CPU that answering customers
//! leave (nice 10 still took a tenth of a busy core: docs/TOPICS.md). An unprivileged thread cannot leave
//! SCHED_IDLE, hence a thread of its own rather than the caller's. The caller's pacer paces `work` too.
template <typename Work>
auto atLowPriority(Work&& work) {
  std::packaged_task<decltype(work())()> task(std::forward<Work>(work));
  auto result = task.get_future();
  std::thread([&task, pacer = currentPacer()] {
    const sched_param none{};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);  // best effort: still runs if refused
    const ScopedPacer paced(pacer);
    task();
  }).join();
  return result.get();
}

}  // namespace shopdesk::common
