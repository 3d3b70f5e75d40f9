#include "core/parallel_for.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace berth {

size_t default_parallelism() { return std::max<size_t>(2, std::thread::hardware_concurrency()); }

void parallel_for(size_t count, const std::function<void(size_t)>& item, size_t limit, Cancellation* cancel) {
  if (count == 0) return;
  Cancellation own;
  Cancellation& stop = cancel ? *cancel : own;
  std::atomic<size_t> next{0};
  std::mutex error_mu;
  std::exception_ptr first_error;
  auto worker = [&] {
    while (!stop.requested()) {
      size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        item(i);
      } catch (...) {
        std::lock_guard lock(error_mu);
        if (!first_error) first_error = std::current_exception();
        stop.request();  // start no more
      }
    }
  };
  size_t threads = std::min(count, limit == 0 ? default_parallelism() : limit);
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  try {
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(worker);
  } catch (const std::system_error&) {
    // No more threads to be had: those started and this one do the work.
  }
  worker();
  for (std::thread& t : helpers) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace berth
