// MatmulHelper shares each job's two parts between the calling thread and its own: every part runs exactly
// once, whoever takes it, and a part's exception reaches the caller. Also run under ThreadSanitizer.
#include "model/matmul_helper.h"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <thread>
#include <vector>

using shopdesk::model::MatmulHelper;

TEST(MatmulHelper, EveryPartRunsOnceWhetherThePassIsOpenOrNot) {
  auto& helper = MatmulHelper::instance();
  int helped = 0;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) MatmulHelper::openPass();  // the helper spins between jobs
    for (int job = 0; job < 2000; ++job) {
      std::array<int, 2> runs{0, 0};
      std::array<std::thread::id, 2> by;
      helper.runBoth([&](int part) {
        ++runs[static_cast<std::size_t>(part)];
        by[static_cast<std::size_t>(part)] = std::this_thread::get_id();
      });
      ASSERT_EQ(runs[0], 1);
      ASSERT_EQ(runs[1], 1);
      EXPECT_EQ(by[0], std::this_thread::get_id());
      if (by[1] != std::this_thread::get_id()) ++helped;
    }
    if (pass == 1) MatmulHelper::closePass();
  }
  // Not every time (the caller takes a part the helper is late for), but the helper must have helped.
  EXPECT_GT(helped, 0);
}

TEST(MatmulHelper, CallersFromSeveralThreadsEachGetTheirOwnJob) {
  auto& helper = MatmulHelper::instance();
  MatmulHelper::openPass();
  std::vector<std::thread> threads;
  std::array<int, 4> wrong{};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int job = 0; job < 500; ++job) {
        std::array<int, 2> seen{-1, -1};
        helper.runBoth([&](int part) { seen[static_cast<std::size_t>(part)] = t * 1000 + job; });
        if (seen[0] != t * 1000 + job || seen[1] != t * 1000 + job) ++wrong[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  MatmulHelper::closePass();
  for (const int w : wrong) EXPECT_EQ(w, 0);
}

TEST(MatmulHelper, APartsExceptionReachesTheCaller) {
  auto& helper = MatmulHelper::instance();
  for (int job = 0; job < 200; ++job) {
    EXPECT_THROW(helper.runBoth([](int part) {
      if (part == 1) throw std::runtime_error("part 1 failed");
    }),
                 std::runtime_error);
    // And the next job is not disturbed by it.
    int runs = 0;
    helper.runBoth([&](int) { __atomic_add_fetch(&runs, 1, __ATOMIC_RELAXED); });
    EXPECT_EQ(runs, 2);
  }
}
