// A bounded, in-memory pipe from one producer thread to one consumer thread,
// so a layer can be extracted on another core while the archive it comes in
// is still being read. Several queues share one memory budget, which bounds
// what is in flight however large the layers are.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

#include "core/byte_reader.h"

namespace berth {

class MemoryBudget {
 public:
  explicit MemoryBudget(size_t bytes) : left_(bytes) {}
  void acquire(size_t n);
  bool try_acquire(size_t n);  // without waiting: false when it is spent
  void release(size_t n);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t left_;
};

class ChunkQueue : public ByteReader {
 public:
  explicit ChunkQueue(MemoryBudget& budget) : budget_(budget) {}
  ~ChunkQueue() override;

  // Producer side. push() blocks while the budget is spent; after the consumer
  // gave up (abandon), pushed data is dropped.
  void push(std::string chunk);
  // push() for a producer that must not wait: false (nothing queued) when the budget is spent.
  bool try_push(std::string& chunk);
  void close();
  // What is queued is dropped: the consumer's next read throws `error`.
  void fail(std::exception_ptr error);

  // Consumer side.
  size_t read(void* buf, size_t size) override;
  void abandon();

 private:
  MemoryBudget& budget_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  size_t offset_ = 0;  // into chunks_.front()
  bool closed_ = false, abandoned_ = false;
  std::exception_ptr error_;
};

}  // namespace berth
