// The exec instances of one service (POST /containers/{id}/exec makes one,
// /exec/{id}/start runs it, /exec/{id}/json reports it). Like dockerd, the
// service keeps them in memory only: they are the processes it started.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/container_exec.h"

namespace berth {

struct ExecSession {
  std::string id, container_id;
  ExecOptions options;
  bool attach_stdout = true, attach_stderr = true;
  bool started = false, running = false;
  std::optional<int> exit_code;
};

class ExecSessions {
 public:
  std::string add(ExecSession session);  // returns its new ID
  // Throws not_found with moby's message.
  ExecSession get(const std::string& id) const;
  // Marks it started; throws conflict when it was started already.
  ExecSession start(const std::string& id);
  void finish(const std::string& id, std::optional<int> exit_code);

 private:
  mutable std::mutex mu_;
  std::map<std::string, ExecSession> sessions_;
};

}  // namespace berth
