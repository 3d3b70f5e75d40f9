#include "api/attached_stdins.h"

namespace berth {

void AttachedStdins::offer(const std::string& container_id, UniqueFd read_end) {
  std::lock_guard lock(mutex_);
  pending_[container_id] = std::move(read_end);
}

UniqueFd AttachedStdins::take(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(container_id);
  if (it == pending_.end()) return UniqueFd();
  UniqueFd fd = std::move(it->second);
  pending_.erase(it);
  return fd;
}

}  // namespace berth
