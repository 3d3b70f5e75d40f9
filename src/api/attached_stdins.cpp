#include "api/attached_stdins.h"

namespace berth {

void AttachedStdins::offer_pipe(const std::string& container_id, UniqueFd read_end) {
  std::lock_guard lock(mutex_);
  pending_[container_id] = Waiting{std::move(read_end), std::nullopt};
}

std::future<UniqueFd> AttachedStdins::await_terminal(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  Waiting& w = pending_[container_id] = Waiting{};
  w.terminal.emplace();
  return w.terminal->get_future();
}

AttachedStdins::Waiting AttachedStdins::take(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(container_id);
  if (it == pending_.end()) return Waiting{};
  Waiting w = std::move(it->second);
  pending_.erase(it);
  return w;
}

}  // namespace berth
