#include "api/exec_sessions.h"

#include "core/error.h"
#include "core/fs.h"

namespace berth {

std::string ExecSessions::add(ExecSession session) {
  session.id = random_hex(64);  // as long as moby's exec IDs
  std::lock_guard lock(mu_);
  sessions_[session.id] = session;
  return session.id;
}

ExecSession ExecSessions::get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) throw not_found("No such exec instance: " + id);
  return it->second;
}

ExecSession ExecSessions::start(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) throw not_found("No such exec instance: " + id);
  if (it->second.started) throw conflict("Error: Exec command " + id + " has already run");
  it->second.started = it->second.running = true;
  return it->second;
}

void ExecSessions::finish(const std::string& id, std::optional<int> exit_code) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  it->second.running = false;
  it->second.exit_code = exit_code;
}

}  // namespace berth
