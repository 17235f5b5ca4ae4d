#pragma once

#include <omp.h>

#include <ATen/Parallel.h>
#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace shopdesk::model {

//! A pass over this many tokens or fewer (one customer's question) runs on the calling thread alone, but for
//! its int8 matmuls: waking libtorch's other threads for each of a bert-base pass's few hundred small
//! operations cost more than it saved. One 16-token int8 query (transformer_bench query_int8, 2 cores) took
//! 10.2 ms on one thread, 7.7-7.9 ms with the whole pass on two and 6.8-7.0 ms with only its matmuls on two.
//! Beyond 64 tokens the whole pass gains from the second core (512 tokens: 643 ms on one, 300 ms on two).
inline constexpr std::int64_t kOneThreadTokens = 32;

//! How many threads the parallel regions of one forward pass may use.
enum class PassThreads {
  kTeam,         //!< the calling thread's whole team (a long pass)
  kMatmulsOnly,  //!< one, but the int8 matmuls (MatmulTeam) use the whole team (one short question)
  kOne,          //!< one (a share of a batch that runs beside the other shares)
};

//! Whether libgomp's idle threads spin a while before they sleep (GOMP_SPINCOUNT, or no PASSIVE wait
//! policy), as src/cli/main.cc sets for shopdesk. Only then does a short pass gain from splitting its
//! matmuls: waking a sleeping thread for each of them made the query above 12.2 ms.
inline bool teamThreadsSpin() {
  static const bool spin = [] {
    if (const char* count = std::getenv("GOMP_SPINCOUNT"))
      return std::strtoll(count, nullptr, 10) > 0 || std::tolower(count[0]) == 'i';  // INFINITE
    const char* policy = std::getenv("OMP_WAIT_POLICY");
    return policy == nullptr || std::tolower(policy[0]) != 'p';
  }();
  return spin;
}

//! The threads a pass over `tokens` tokens uses; `share` when it is one thread's part of a batch.
inline PassThreads passThreads(std::int64_t tokens, bool share) {
  if (share) return PassThreads::kOne;
  if (tokens > kOneThreadTokens) return PassThreads::kTeam;
  return teamThreadsSpin() ? PassThreads::kMatmulsOnly : PassThreads::kOne;
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
        matmulTeamBefore_(matmulTeam_) {
    if (alone_) omp_set_num_threads(1);
    matmulTeam_ = threads == PassThreads::kMatmulsOnly ? before_ : 0;
  }
  ~PassThreadsScope() {
    if (alone_) omp_set_num_threads(before_);
    matmulTeam_ = matmulTeamBefore_;
  }
  PassThreadsScope(const PassThreadsScope&) = delete;
  PassThreadsScope& operator=(const PassThreadsScope&) = delete;

 private:
  friend class MatmulTeam;
  //! The team an int8 matmul may use on this thread; 0 outside a kMatmulsOnly pass.
  static inline thread_local int matmulTeam_ = 0;

  int before_;
  bool alone_;
  int matmulTeamBefore_;
};

//! For its lifetime (one int8 matmul), inside a kMatmulsOnly pass, the calling thread's whole team again.
//! A matmul is long enough to split: bert-base's take 0.06-0.24 ms each on one core for 16 tokens, and
//! three quarters of the pass.
class MatmulTeam {
 public:
  MatmulTeam() : team_(PassThreadsScope::matmulTeam_) {
    if (team_ > 1) omp_set_num_threads(team_);
  }
  ~MatmulTeam() {
    if (team_ > 1) omp_set_num_threads(1);
  }
  MatmulTeam(const MatmulTeam&) = delete;
  MatmulTeam& operator=(const MatmulTeam&) = delete;

 private:
  int team_;
};

}  // namespace shopdesk::model
