#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <future>
#include <thread>
#include <utility>

namespace shopdesk::common {

//! Runs `work` on a thread of its own at nice 10 and returns its result (or rethrows its exception): a long
//! computation asked for by an admin then takes only the CPU that answering customers leaves. A thread's nice
//! value cannot be lowered again without privileges, hence a thread of its own rather than the caller's.
template <typename Work>
auto atLowPriority(Work&& work) {
  std::packaged_task<decltype(work())()> task(std::forward<Work>(work));
  auto result = task.get_future();
  std::thread([&task] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)),
                10);  // best effort: still runs if refused
    task();
  }).join();
  return result.get();
}

}  // namespace shopdesk::common
