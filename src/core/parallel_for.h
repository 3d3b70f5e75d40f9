// One bounded parallel loop for all of berth, so that pulls, pushes and
// builds do not each hand-roll a thread pool with its own error handling:
// N work items on at most `limit` threads, and the first item to throw
// stops the loop (no new item starts; running ones finish) and its exception
// reaches the caller once every thread has joined.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

namespace berth {

// Set when the loop is to stop: by parallel_for when an item threw, or by
// the caller. Items doing long work may poll it to give up early.
class Cancellation {
 public:
  void request() { flag_.store(true, std::memory_order_relaxed); }
  bool requested() const { return flag_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> flag_{false};
};

// max(2, std::thread::hardware_concurrency()): enough to overlap I/O even
// where the hardware count is unknown (0) or 1.
size_t default_parallelism();

// Calls item(i) once for each i in [0, count), items started in index order,
// on at most `limit` threads (0: default_parallelism()); the calling thread
// is one of them, so limit 1 runs everything here, in order. Rethrows the
// first exception an item threw, after all threads have joined; items not
// yet started then never run. `cancel`, when given, is requested on that
// first error, and a request from outside stops new items too (no error).
void parallel_for(size_t count, const std::function<void(size_t)>& item, size_t limit = 0,
                  Cancellation* cancel = nullptr);

// The same over the elements of a vector.
template <typename T, typename F>
void parallel_for_each(std::vector<T>& items, F&& fn, size_t limit = 0, Cancellation* cancel = nullptr) {
  parallel_for(items.size(), [&](size_t i) { fn(items[i]); }, limit, cancel);
}

}  // namespace berth
