// MatmulHelper shares each job's two parts between the calling thread and its own: every part runs exactly
// once, whoever takes it, and a part's exception reaches the caller. Also run under ThreadSanitizer.
#include "model/matmul_helper.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using shopdesk::model::MatmulHelper;

TEST(MatmulHelper, EveryPartRunsOnceWhetherThePassIsOpenOrNot) {
  auto& helper = MatmulHelper::instance();
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) MatmulHelper::openPass();  // the helper spins between jobs
    for (int job = 0; job < 2000; ++job) {
      std::array<int, 2> runs{0, 0};
      std::thread::id first;
      helper.runBoth([&](int part) {
        ++runs[static_cast<std::size_t>(part)];
        if (part == 0) first = std::this_thread::get_id();
      });
      ASSERT_EQ(runs[0], 1);
      ASSERT_EQ(runs[1], 1);
      EXPECT_EQ(first, std::this_thread::get_id());
    }
    if (pass == 1) MatmulHelper::closePass();
  }
}

TEST(MatmulHelper, TheHelperTakesTheSecondPartWhileTheCallerIsBusy) {
  auto& helper = MatmulHelper::instance();
  int helped = 0;
  for (int job = 0; job < 20; ++job) {
    std::atomic<bool> secondStarted{false};
    std::thread::id second;
    helper.runBoth([&](int part) {
      if (part == 1) {
        second = std::this_thread::get_id();
        secondStarted = true;
        return;
      }
      // A long first part, as a matmul is beside waking a thread: the helper has all the time it needs.
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (!secondStarted && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    });
    if (second != std::this_thread::get_id()) ++helped;
  }
  EXPECT_EQ(helped, 20);
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

TEST(MatmulHelper, WhenTheCallersPartThrowsItWaitsForTheHelpersPartBeforeItThrows) {
  auto& helper = MatmulHelper::instance();
  MatmulHelper::openPass();
  for (int job = 0; job < 200; ++job) {
    std::vector<int> touched(64, 0);  // the caller's frame, which part 1 writes to
    EXPECT_THROW(helper.runBoth([&](int part) {
      if (part == 0) throw std::runtime_error("part 0 failed");
      for (auto& t : touched) ++t;
    }),
                 std::runtime_error);
    // Part 1 either ran whole (the helper had it) or not at all (the caller skipped it).
    EXPECT_TRUE(touched.front() == touched.back()) << job;
  }
  MatmulHelper::closePass();
}
