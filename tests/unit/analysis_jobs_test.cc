// Analyses in the background: reported through the store, joined when asked again, at most two at once, held
// back while answers are in hand, and abandoned when the server stops.
#include "service/analysis_jobs.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/pacer.h"
#include "temp_dir.h"

using namespace shopdesk;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

class AnalysisJobsTest : public ::testing::Test {
 protected:
  AnalysisJobsTest()
      : dir_("shopdesk-analysis-jobs"), store_(store::openStore("sqlite:" + (dir_.path() / "db").string())) {}

  //! The job once `done` says so of it, or whatever it is after 20 s.
  store::AnalysisJob waitFor(service::AnalysisJobs& jobs, std::int64_t id,
                             const std::function<bool(const store::AnalysisJob&)>& done) {
    const auto deadline = Clock::now() + 20s;
    auto job = jobs.find(id);
    while (!done(job) && Clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
      job = jobs.find(id);
    }
    return job;
  }

  shopdesk::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

// Work that reports a stage, then runs (pacing, as the real analyses do) until `release` is set.
service::AnalysisJobs::Work until(const std::atomic<bool>& release, nlohmann::json result) {
  return [&release, result](const service::AnalysisProgress& progress) {
    progress(50, "grouping");
    while (!release) {
      common::pace();
      std::this_thread::sleep_for(1ms);
    }
    return result;
  };
}

void spin(Clock::duration d) {
  for (const auto end = Clock::now() + d; Clock::now() < end;) {
  }
}

}  // namespace

TEST_F(AnalysisJobsTest, AQuickJobAnswersWithItsResult) {
  service::AnalysisJobs jobs(*store_);
  const auto job = jobs.run(
      "topics", {{"to", 5}},
      [](const service::AnalysisProgress&) {
        return nlohmann::json{{"topics", 3}};
      },
      10s);
  EXPECT_EQ(job.status, "succeeded");
  ASSERT_TRUE(job.result);
  EXPECT_EQ(nlohmann::json::parse(*job.result)["topics"], 3);
  EXPECT_EQ(nlohmann::json::parse(job.progress)["stage"], "done");
  EXPECT_TRUE(job.finishedAt);
}

TEST_F(AnalysisJobsTest, ALongJobIsReportedWithItsProgressAndJoinedWhenAskedAgain) {
  std::atomic<bool> release = false;  // declared first: the jobs' threads read it until the jobs are gone
  service::AnalysisJobs jobs(*store_);
  const auto first = jobs.run("comparison", {{"version", "v2"}}, until(release, {{"changed", 7}}), 0ms);
  EXPECT_EQ(first.status, "running");
  const auto again = jobs.run("comparison", {{"version", "v2"}}, until(release, {{"changed", 8}}), 0ms);
  EXPECT_EQ(again.id, first.id) << "the same question asked again joins the job running";
  const auto grouping = waitFor(jobs, first.id, [](const store::AnalysisJob& j) {
    return nlohmann::json::parse(j.progress)["stage"] == "grouping";
  });
  EXPECT_EQ(grouping.status, "running");
  EXPECT_EQ(nlohmann::json::parse(grouping.progress)["percent"], 50);

  release = true;
  const auto ended =
      waitFor(jobs, first.id, [](const store::AnalysisJob& j) { return j.status != "running"; });
  EXPECT_EQ(ended.status, "succeeded");
  ASSERT_TRUE(ended.result);
  EXPECT_EQ(nlohmann::json::parse(*ended.result)["changed"], 7) << "the first asker's work ran, once";
}

TEST_F(AnalysisJobsTest, AtMostTwoRunAtOnce) {
  std::atomic<bool> release = false;  // declared first: the jobs' threads read it until the jobs are gone
  service::AnalysisJobs jobs(*store_);
  jobs.run("comparison", {{"version", "a"}}, until(release, {}), 0ms);
  jobs.run("comparison", {{"version", "b"}}, until(release, {}), 0ms);
  EXPECT_THROW(jobs.run("topics", {}, until(release, {}), 0ms), store::ConflictError);
  release = true;
}

TEST_F(AnalysisJobsTest, AFailedJobKeepsItsMessage) {
  service::AnalysisJobs jobs(*store_);
  const auto job = jobs.run(
      "topics", {},
      [](const service::AnalysisProgress&) -> nlohmann::json { throw std::runtime_error("no questions"); },
      10s);
  EXPECT_EQ(job.status, "failed");
  EXPECT_EQ(job.error.value_or(""), "no questions");
}

TEST_F(AnalysisJobsTest, StoppingEndsARunningJobAsFailedInsteadOfWaitingForIt) {
  const std::atomic<bool> never = false;
  std::int64_t id = 0;
  {
    service::AnalysisJobs jobs(*store_, [] { return true; });
    id = jobs.run("topics", {}, until(never, {}), 0ms).id;
  }  // without the stop, this would wait forever
  const auto job = store_->analysisJob(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, "failed");
  EXPECT_NE(job->error.value_or("").find("stopped"), std::string::npos) << job->error.value_or("");
}

TEST(PacerTest, WhileBusyWorkIsHeldToItsShare) {
  common::Pacer pacer([] { return true; }, 0.25, 1ms);
  const auto start = Clock::now();
  spin(4ms);
  pacer.pace();
  EXPECT_GE(Clock::now() - start, 16ms) << "4 ms of work at a quarter of the time: 12 ms paused";
}

TEST(PacerTest, WithNothingElseInHandWorkRunsFlatOut) {
  common::Pacer pacer([] { return false; }, 0.01, 1ms);
  const auto start = Clock::now();
  spin(5ms);
  pacer.pace();
  EXPECT_LT(Clock::now() - start, 400ms) << "busy, it would have paused 99 times the 5 ms worked";
}

TEST(PacerTest, OnlyThePacedThreadIsPacedAndAStopEndsIt) {
  std::atomic<bool> stopping = false;
  common::Pacer pacer([] { return false; }, 0.5, 1ms, &stopping);
  EXPECT_NO_THROW(common::pace()) << "no pacer on this thread: nothing to do";
  const common::ScopedPacer paced(&pacer);
  EXPECT_EQ(common::currentPacer(), &pacer);
  EXPECT_NO_THROW(common::pace());
  stopping = true;
  EXPECT_THROW(common::pace(), common::Stopped);
}
