#include "builder/stage_scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace berth {

size_t default_stage_limit() { return std::max(2u, std::thread::hardware_concurrency()); }

void run_stages(const StageGraph& graph, size_t limit, const std::function<void(size_t)>& build,
                std::atomic<bool>& stopping) {
  enum State { kWaiting, kRunning, kDone };
  size_t n = graph.needed.size();
  std::vector<State> state(n, kWaiting);
  for (size_t i = 0; i < n; ++i)
    if (!graph.needed[i]) state[i] = kDone;
  auto ready = [&](size_t i) {
    return state[i] == kWaiting &&
           std::all_of(graph.uses[i].begin(), graph.uses[i].end(), [&](size_t d) { return state[d] == kDone; });
  };
  size_t running = 0;
  std::mutex m;
  std::condition_variable changed;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  std::unique_lock<std::mutex> lock(m);
  while (true) {
    for (size_t i = 0; i < n && !failure && running < std::max<size_t>(limit, 1); ++i) {
      if (!ready(i)) continue;
      state[i] = kRunning;
      ++running;
      threads.emplace_back([&, i] {
        std::exception_ptr error;
        try {
          build(i);
        } catch (...) {
          error = std::current_exception();
          stopping = true;
        }
        std::lock_guard<std::mutex> done(m);
        state[i] = kDone;
        --running;
        if (error && !failure) failure = error;
        changed.notify_all();
      });
    }
    if (running == 0) break;
    changed.wait(lock);
  }
  lock.unlock();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace berth
