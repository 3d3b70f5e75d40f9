// The stage scheduler: a stage starts only after the stages it uses have
// finished, never more than the limit at once, independent stages overlap,
// and after a failure no new stage starts and the first error comes back.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "builder/stage_scheduler.h"
#include "core/error.h"

namespace {

using berth::StageGraph;
using namespace std::chrono_literals;

struct Log {
  std::mutex m;
  std::vector<std::string> events;
  int running = 0, most = 0;
  void add(const std::string& e) {
    std::lock_guard<std::mutex> lock(m);
    events.push_back(e);
  }
  size_t at(const std::string& e) {
    std::lock_guard<std::mutex> lock(m);
    return std::find(events.begin(), events.end(), e) - events.begin();
  }
};

// Runs stage i: logs start and end, sleeps a little, tracks how many run at once.
auto stage_body(Log& log, std::chrono::milliseconds busy = 20ms) {
  return [&log, busy](size_t i) {
    {
      std::lock_guard<std::mutex> lock(log.m);
      log.events.push_back("start " + std::to_string(i));
      log.most = std::max(log.most, ++log.running);
    }
    std::this_thread::sleep_for(busy);
    std::lock_guard<std::mutex> lock(log.m);
    --log.running;
    log.events.push_back("end " + std::to_string(i));
  };
}

TEST(StageScheduler, AStageStartsAfterTheStagesItUses) {
  // 0 and 1 independent; 2 uses both; 3 uses 2.
  StageGraph g{{true, true, true, true}, {{}, {}, {0, 1}, {2}}};
  Log log;
  std::atomic<bool> stopping{false};
  berth::run_stages(g, 4, stage_body(log), stopping);
  ASSERT_EQ(log.events.size(), 8u);
  EXPECT_LT(log.at("end 0"), log.at("start 2"));
  EXPECT_LT(log.at("end 1"), log.at("start 2"));
  EXPECT_LT(log.at("end 2"), log.at("start 3"));
  EXPECT_EQ(log.most, 2) << "0 and 1 ran at the same time";
  EXPECT_FALSE(stopping);
}

TEST(StageScheduler, NeverMoreThanTheLimit) {
  StageGraph g{std::vector<bool>(6, true), std::vector<std::vector<size_t>>(6)};
  Log log;
  std::atomic<bool> stopping{false};
  berth::run_stages(g, 2, stage_body(log), stopping);
  EXPECT_EQ(log.events.size(), 12u);
  EXPECT_EQ(log.most, 2);
  Log one;
  berth::run_stages(g, 1, stage_body(one, 1ms), stopping);
  EXPECT_EQ(one.most, 1);
  EXPECT_GE(berth::default_stage_limit(), 2u);
}

TEST(StageScheduler, StagesNotNeededDoNotRun) {
  StageGraph g{{false, true, false}, {{}, {0}, {}}};
  Log log;
  std::atomic<bool> stopping{false};
  berth::run_stages(g, 2, stage_body(log, 1ms), stopping);
  EXPECT_EQ(log.events, (std::vector<std::string>{"start 1", "end 1"}));
}

TEST(StageScheduler, AFailureStopsNewStagesAndIsRethrown) {
  // Limit 1: 0 fails; 1 (independent, waiting for a slot) and 2 (uses 0) never start.
  StageGraph g{{true, true, true}, {{}, {}, {0}}};
  Log log;
  std::atomic<bool> stopping{false};
  auto body = [&](size_t i) {
    log.add("start " + std::to_string(i));
    if (i == 0) throw berth::Error("stage 0 failed");
  };
  try {
    berth::run_stages(g, 1, body, stopping);
    FAIL() << "no error";
  } catch (const berth::Error& e) {
    EXPECT_STREQ(e.what(), "stage 0 failed");
  }
  EXPECT_EQ(log.events, (std::vector<std::string>{"start 0"}));
  EXPECT_TRUE(stopping) << "running stages are told to stop";
}

TEST(StageScheduler, RunningStagesFinishBeforeTheErrorReturns) {
  StageGraph g{{true, true}, {{}, {}}};
  std::atomic<bool> stopping{false}, slow_done{false};
  auto body = [&](size_t i) {
    if (i == 0) {
      std::this_thread::sleep_for(5ms);
      throw berth::Error("first");
    }
    while (!stopping) std::this_thread::sleep_for(1ms);  // a stage that stops when told
    slow_done = true;
  };
  EXPECT_THROW(berth::run_stages(g, 2, body, stopping), berth::Error);
  EXPECT_TRUE(slow_done);
}

}  // namespace
