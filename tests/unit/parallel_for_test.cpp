// The bounded parallel loop that pulls and pushes share: every item once,
// never more threads than asked, and the first error stops the loop and
// reaches the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/parallel_for.h"

namespace {

using berth::Cancellation;
using berth::parallel_for;

TEST(ParallelFor, EveryItemRunsExactlyOnce) {
  std::vector<std::atomic<int>> runs(1000);
  parallel_for(runs.size(), [&](size_t i) { ++runs[i]; }, 8);
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].load(), 1) << i;
}

TEST(ParallelFor, VectorElements) {
  std::vector<int> v = {1, 2, 3, 4, 5};
  berth::parallel_for_each(v, [](int& x) { x *= 10; });
  EXPECT_EQ(v, (std::vector<int>{10, 20, 30, 40, 50}));
}

TEST(ParallelFor, NeverMoreItemsAtOnceThanTheLimit) {
  std::atomic<int> running{0}, most{0};
  parallel_for(
      64,
      [&](size_t) {
        int now = ++running;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --running;
      },
      3);
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 2);  // it does run in parallel
}

TEST(ParallelFor, DefaultLimitIsAtLeastTwo) { EXPECT_GE(berth::default_parallelism(), 2u); }

TEST(ParallelFor, ZeroItemsCallNothing) {
  bool called = false;
  parallel_for(0, [&](size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelFor, LimitOneIsSequentialInOrderOnTheCallingThread) {
  std::vector<size_t> order;
  std::thread::id caller = std::this_thread::get_id();
  bool elsewhere = false;
  parallel_for(
      10,
      [&](size_t i) {
        order.push_back(i);  // no lock: one thread only
        if (std::this_thread::get_id() != caller) elsewhere = true;
      },
      1);
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_FALSE(elsewhere);
}

TEST(ParallelFor, FirstErrorIsRethrownAndStopsNewItems) {
  std::vector<size_t> ran;
  try {
    parallel_for(
        10,
        [&](size_t i) {
          ran.push_back(i);
          if (i == 3) throw std::runtime_error("item 3 failed");
        },
        1);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "item 3 failed");
  }
  EXPECT_EQ(ran, (std::vector<size_t>{0, 1, 2, 3}));
}

TEST(ParallelFor, ErrorWaitsForRunningItemsAndRequestsCancellation) {
  // Item 0 fails at once; item 1, if it started, runs until it sees the
  // cancellation; nothing after them may start.
  Cancellation cancel;
  std::atomic<bool> item1_finished{false};
  std::mutex mu;
  std::vector<size_t> ran;
  EXPECT_THROW(parallel_for(
                   100,
                   [&](size_t i) {
                     {
                       std::lock_guard lock(mu);
                       ran.push_back(i);
                     }
                     if (i == 0) throw std::logic_error("boom");
                     while (!cancel.requested()) std::this_thread::yield();
                     if (i == 1) item1_finished = true;
                   },
                   2, &cancel),
               std::logic_error);
  EXPECT_TRUE(cancel.requested());
  for (size_t i : ran) EXPECT_LT(i, 2u);
  if (ran.size() == 2) EXPECT_TRUE(item1_finished.load());  // joined before the rethrow
}

TEST(ParallelFor, OnlyTheFirstOfSeveralErrorsReachesTheCaller) {
  std::atomic<int> thrown{0};
  try {
    parallel_for(
        8,
        [&](size_t) {
          ++thrown;
          throw std::runtime_error("one");
        },
        4);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "one");
  }
  EXPECT_GE(thrown.load(), 1);
  EXPECT_LE(thrown.load(), 4);  // at most the items running when the first threw
}

TEST(ParallelFor, CancellationFromOutsideStopsNewItemsWithoutError) {
  Cancellation cancel;
  std::vector<size_t> ran;
  parallel_for(
      10,
      [&](size_t i) {
        ran.push_back(i);
        if (i == 4) cancel.request();
      },
      1, &cancel);
  EXPECT_EQ(ran.size(), 5u);
}

}  // namespace
