#include "api/attached_stdins.h"

#include <sys/ioctl.h>
#include <termios.h>

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

void AttachedStdins::set_master(const std::string& container_id, UniqueFd master) {
  std::lock_guard lock(mutex_);
  masters_[container_id] = std::move(master);
}

void AttachedStdins::drop_master(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  masters_.erase(container_id);
}

bool AttachedStdins::resize(const std::string& container_id, int rows, int columns) {
  std::lock_guard lock(mutex_);
  auto it = masters_.find(container_id);
  if (it == masters_.end()) return false;
  winsize ws{};
  ws.ws_row = static_cast<unsigned short>(rows);
  ws.ws_col = static_cast<unsigned short>(columns);
  return ::ioctl(it->second.get(), TIOCSWINSZ, &ws) == 0;
}

}  // namespace berth
