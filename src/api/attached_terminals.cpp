#include "api/attached_terminals.h"

#include <sys/ioctl.h>
#include <termios.h>

namespace berth {

namespace {

bool set_size(int master, int rows, int columns) {
  winsize ws{};
  ws.ws_row = static_cast<unsigned short>(rows);
  ws.ws_col = static_cast<unsigned short>(columns);
  return ::ioctl(master, TIOCSWINSZ, &ws) == 0;
}

}  // namespace

void AttachedTerminals::add(const std::string& key, UniqueFd master) {
  std::lock_guard lock(mutex_);
  Attached& a = attached_[key];
  if (master) a.master = std::move(master);
  ++a.clients;
  if (auto it = pending_.find(key); it != pending_.end()) {
    set_size(a.master.get(), it->second.rows, it->second.columns);
    pending_.erase(it);
  }
}

void AttachedTerminals::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  pending_.erase(key);
  auto it = attached_.find(key);
  if (it != attached_.end() && --it->second.clients <= 0) attached_.erase(it);
}

bool AttachedTerminals::resize(const std::string& key, int rows, int columns) {
  std::lock_guard lock(mutex_);
  auto it = attached_.find(key);
  if (it != attached_.end()) return set_size(it->second.master.get(), rows, columns);
  auto now = std::chrono::steady_clock::now();
  std::erase_if(pending_, [&](const auto& p) { return now - p.second.when > std::chrono::minutes(1); });
  pending_[key] = Size{rows, columns, now};
  return false;
}

}  // namespace berth
