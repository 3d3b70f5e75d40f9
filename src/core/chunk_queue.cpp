#include "core/chunk_queue.h"

#include <algorithm>
#include <cstring>

namespace berth {

void MemoryBudget::acquire(size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return left_ >= n; });
  left_ -= n;
}

bool MemoryBudget::try_acquire(size_t n) {
  std::lock_guard lock(mu_);
  if (left_ < n) return false;
  left_ -= n;
  return true;
}

void MemoryBudget::release(size_t n) {
  {
    std::lock_guard lock(mu_);
    left_ += n;
  }
  cv_.notify_all();
}

ChunkQueue::~ChunkQueue() {
  size_t held = 0;
  for (const std::string& c : chunks_) held += c.size();
  if (held) budget_.release(held);
}

void ChunkQueue::push(std::string chunk) {
  if (chunk.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (abandoned_) return;
  }
  budget_.acquire(chunk.size());
  {
    std::lock_guard lock(mu_);
    if (abandoned_) {
      budget_.release(chunk.size());
      return;
    }
    chunks_.push_back(std::move(chunk));
  }
  cv_.notify_all();
}

void ChunkQueue::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool ChunkQueue::try_push(std::string& chunk) {
  if (chunk.empty()) return true;
  if (!budget_.try_acquire(chunk.size())) return false;
  {
    std::lock_guard lock(mu_);
    if (abandoned_) {
      budget_.release(chunk.size());
      return true;
    }
    chunks_.push_back(std::move(chunk));
  }
  cv_.notify_all();
  return true;
}

void ChunkQueue::fail(std::exception_ptr error) {
  size_t held = 0;
  {
    std::lock_guard lock(mu_);
    error_ = error;
    closed_ = true;
    for (const std::string& c : chunks_) held += c.size();
    chunks_.clear();
    offset_ = 0;
  }
  if (held) budget_.release(held);
  cv_.notify_all();
}

size_t ChunkQueue::read(void* buf, size_t size) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !chunks_.empty() || closed_; });
  if (chunks_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return 0;
  }
  std::string& front = chunks_.front();
  size_t n = std::min(size, front.size() - offset_);
  std::memcpy(buf, front.data() + offset_, n);
  offset_ += n;
  if (offset_ == front.size()) {
    size_t freed = front.size();
    chunks_.pop_front();
    offset_ = 0;
    lock.unlock();
    budget_.release(freed);
  }
  return n;
}

void ChunkQueue::abandon() {
  size_t held = 0;
  {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    for (const std::string& c : chunks_) held += c.size();
    chunks_.clear();
    offset_ = 0;
  }
  if (held) budget_.release(held);
}

}  // namespace berth
