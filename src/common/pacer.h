#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>

namespace shopdesk::common {

//! Holds a long background computation to a share of the time while the process is busy with work that
//! matters more (answering customers), and lets it run flat out otherwise. Under load even a thread under
//! SCHED_IDLE raised the answers' p99 (docs/TOPICS.md): the cores it runs on, their caches and the memory
//! bus are shared; pausing is what leaves them to the answers.
class Pacer {
 public:
  //! `busy` says whether the process has such work in hand now; while it does, the computation runs at most
  //! `share` of the time, in slices of `slice`. Once `stopping` (if given) is set, pace() throws Stopped.
  Pacer(std::function<bool()> busy, double share, std::chrono::microseconds slice = kSlice,
        const std::atomic<bool>* stopping = nullptr);

  static constexpr std::chrono::milliseconds kSlice{2};

  //! Called often from inside the computation (every few milliseconds of work at most): once a slice has
  //! been used, and answers are in hand, sleeps long enough to bring the work down to its share.
  void pace();

 private:
  std::function<bool()> busy_;
  const std::atomic<bool>* stopping_;
  double rest_;  //!< time paused per unit of time worked while busy
  std::chrono::nanoseconds slice_;
  std::chrono::steady_clock::time_point sliceStart_;
};

//! Thrown by pace() when the process stops: a background computation is abandoned rather than waited for.
class Stopped : public std::runtime_error {
 public:
  Stopped() : std::runtime_error("the server stopped before the work ended") {}
};

//! The pacer of the calling thread (set with ScopedPacer), or null.
Pacer* currentPacer();

//! Paces the calling thread's computation if it has a pacer; does nothing otherwise. Long loops of code that
//! runs in the background (topic discovery, model comparison) call it once per step.
void pace();

//! Makes `pacer` the calling thread's for the lifetime of this object.
class ScopedPacer {
 public:
  explicit ScopedPacer(Pacer* pacer);
  ~ScopedPacer();
  ScopedPacer(const ScopedPacer&) = delete;
  ScopedPacer& operator=(const ScopedPacer&) = delete;

 private:
  Pacer* previous_;
};

}  // namespace shopdesk::common
