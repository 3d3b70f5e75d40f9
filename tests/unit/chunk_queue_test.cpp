// The in-memory pipe between the archive reader and layer extractors: bytes
// arrive in order, the budget bounds what is in flight, and failures on
// either side unblock the other.
#include "core/chunk_queue.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/error.h"

TEST(ChunkQueue, DeliversEverythingInOrderWithinABudget) {
  berth::MemoryBudget budget(4096);  // far less than what goes through
  berth::ChunkQueue q(budget);
  std::string expected;
  for (int i = 0; i < 1000; ++i) expected += std::string(1000, static_cast<char>('a' + i % 26));
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) q.push(expected.substr(static_cast<size_t>(i) * 1000, 1000));
    q.close();
  });
  std::string got = berth::read_up_to(q, expected.size() + 1);
  producer.join();
  EXPECT_EQ(got, expected);
}

TEST(ChunkQueue, ProducerFailureReachesTheConsumerAtOnce) {
  berth::MemoryBudget budget(16);
  berth::ChunkQueue q(budget);
  q.push("partial");
  q.fail(std::make_exception_ptr(berth::Error("archive truncated")));
  char buf[16];
  EXPECT_THROW(q.read(buf, sizeof buf), berth::Error);  // what was queued is not worth reading
  EXPECT_TRUE(budget.try_acquire(16)) << "the dropped chunk's room is given back";
}

TEST(ChunkQueue, TryPushNeverWaits) {
  berth::MemoryBudget budget(8);
  berth::ChunkQueue q(budget);
  std::string first = "12345678", second = "9";
  EXPECT_TRUE(q.try_push(first));
  EXPECT_FALSE(q.try_push(second)) << "the budget is spent";
  EXPECT_EQ(second, "9") << "a chunk not queued is left to the caller";
  q.close();
  EXPECT_EQ(berth::read_up_to(q, 16), "12345678");
}

TEST(ChunkQueue, AnAbandonedQueueNeverBlocksItsProducer) {
  berth::MemoryBudget budget(2048);
  berth::ChunkQueue q(budget);
  q.abandon();
  for (int i = 0; i < 100; ++i) q.push(std::string(1024, 'x'));  // would block if kept
  q.close();
  berth::ChunkQueue other(budget);
  other.push(std::string(2048, 'y'));  // the whole budget is free again
  other.close();
  EXPECT_EQ(berth::read_up_to(other, 4096).size(), 2048u);
}
