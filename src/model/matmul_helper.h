#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>

namespace shopdesk::model {

//! A second thread for the int8 matmuls of one short question (PassThreads::kMatmulsOnly): they are three
//! quarters of a bert-base pass, and the rest is too small to split. libtorch's OpenMP threads cannot do it:
//! sleeping at once between parallel regions (OMP_WAIT_POLICY=PASSIVE), waking one for each matmul made a
//! 16-token query 12.2 ms against 10.2 ms on one thread; spinning instead (GOMP_SPINCOUNT) made it 6.4 ms but
//! OpenBLAS's float matmuls 1.5-3x slower, their own threads finding both cores taken. This thread spins only
//! while a short pass is open, and sleeps otherwise.
class MatmulHelper {
 public:
  //! The process's helper, started on first use and never stopped.
  static MatmulHelper& instance();

  //! Runs part(0) on the calling thread and part(1) on the helper, or on the calling thread too when the
  //! helper has not taken it by then or serves another caller (so never later than running both here).
  //! Rethrows a part's exception once neither part runs any more.
  void runBoth(const std::function<void(int)>& part);

  //! While a pass is open (they nest and count), the helper spins between parts instead of sleeping.
  static void openPass();
  static void closePass();

 private:
  MatmulHelper();
  void loop();

  // claim_ = generation * 4 + state: 0 part 1 waiting, 1 taken by the helper, 2 taken by the caller. The
  // generation keeps a helper that read an old job from taking a new job's part.
  std::atomic<std::uint64_t> claim_{2};
  std::atomic<std::uint64_t> helperDone_{0};  //!< the generation whose part 1 the helper finished
  const std::function<void(int)>* job_ = nullptr;
  std::exception_ptr helperError_;
  std::mutex callers_;  //!< one job at a time
  std::uint64_t generation_ = 0;
  static std::atomic<int> openPasses_;
};

}  // namespace shopdesk::model
