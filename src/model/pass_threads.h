#pragma once

#include <omp.h>

#include <ATen/Parallel.h>
#include <cstdint>

#include "model/matmul_helper.h"

namespace shopdesk::model {

//! A float pass over this many tokens or fewer (one customer's question) runs on the calling thread alone:
//! waking libtorch's other threads (which sleep at once, OMP_WAIT_POLICY=PASSIVE) for each of a bert-base
//! pass's few hundred small operations cost more than it saved. One 16-token int8 query, measured so before
//! MatmulHelper, took 11.6 ms on one thread and 12.9 ms on two; 512 tokens 643 ms against 300 ms (2 cores).
inline constexpr std::int64_t kOneThreadTokens = 32;
//! An int8 pass over this many tokens or fewer runs alone but for its matmuls, which MatmulHelper splits:
//! 64 tokens took 17.2-17.7 ms so, 22.5 ms on one thread and 37.7 ms on two (the same run).
inline constexpr std::int64_t kShortInt8Tokens = 64;

//! How many threads the parallel regions of one forward pass may use.
enum class PassThreads {
  kTeam,         //!< the calling thread's whole team (a long pass)
  kMatmulsOnly,  //!< one, but the int8 matmuls split with MatmulHelper (a short int8 pass)
  kOne,          //!< one (a share of a batch that runs beside the other shares, or a short float pass)
};

//! The threads a pass over `tokens` tokens uses; `share` when it is one thread's part of a batch.
inline PassThreads passThreads(std::int64_t tokens, bool share, bool int8) {
  if (share) return PassThreads::kOne;
  if (int8) return tokens <= kShortInt8Tokens ? PassThreads::kMatmulsOnly : PassThreads::kTeam;
  return tokens <= kOneThreadTokens ? PassThreads::kOne : PassThreads::kTeam;
}

//! For its lifetime, the parallel regions the calling thread starts (libtorch's and oneDNN's, which read the
//! thread's own OpenMP team size) use the threads `threads` names.
class PassThreadsScope {
 public:
  // libtorch sets a thread's team size at its first parallel region, which would undo ours: that comes
  // first.
  explicit PassThreadsScope(PassThreads threads)
      : before_((at::internal::lazy_init_num_threads(), omp_get_max_threads())),
        alone_(threads != PassThreads::kTeam),
        shareBefore_(shareMatmuls_) {
    if (alone_) omp_set_num_threads(1);
    shareMatmuls_ = threads == PassThreads::kMatmulsOnly;
    if (shareMatmuls_) MatmulHelper::openPass();
  }
  ~PassThreadsScope() {
    if (shareMatmuls_) MatmulHelper::closePass();
    if (alone_) omp_set_num_threads(before_);
    shareMatmuls_ = shareBefore_;
  }
  PassThreadsScope(const PassThreadsScope&) = delete;
  PassThreadsScope& operator=(const PassThreadsScope&) = delete;

  //! Whether the calling thread is in a kMatmulsOnly pass: an int8 matmul may split with MatmulHelper.
  static bool shareMatmuls() { return shareMatmuls_; }

 private:
  static inline thread_local bool shareMatmuls_ = false;

  int before_;
  bool alone_;
  bool shareBefore_;
};

}  // namespace shopdesk::model
