#pragma once

#include <omp.h>

#include <ATen/Parallel.h>
#include <cstdint>

namespace shopdesk::model {

//! A pass over this many tokens or fewer (one customer's question) runs on the calling thread alone: waking
//! libtorch's other threads for each of a bert-base pass's few hundred small operations cost more than it
//! saved. One 16-token int8 query took 11.6 ms on one thread and 12.9 ms on two; 64 tokens about even; 512
//! tokens 643 ms against 300 ms (2 cores, transformer_bench tokens_int8).
inline constexpr std::int64_t kOneThreadTokens = 32;

//! For its lifetime, the parallel regions the calling thread starts (libtorch's and oneDNN's, which read the
//! thread's own OpenMP team size) run on that thread alone, when `alone`.
class OneThread {
 public:
  // libtorch sets a thread's team size at its first parallel region, which would undo ours: that comes
  // first.
  explicit OneThread(bool alone)
      : before_((at::internal::lazy_init_num_threads(), omp_get_max_threads())), alone_(alone) {
    if (alone_) omp_set_num_threads(1);
  }
  ~OneThread() {
    if (alone_) omp_set_num_threads(before_);
  }
  OneThread(const OneThread&) = delete;
  OneThread& operator=(const OneThread&) = delete;

 private:
  int before_;
  bool alone_;
};

}  // namespace shopdesk::model
