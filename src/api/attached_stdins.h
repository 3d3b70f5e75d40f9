// Stdin that attach connections wait to feed (POST /containers/{id}/attach
// with stdin=1 before the container starts, as `docker run -i` and
// `docker start -ai` do): the read end of a pipe the connection writes to,
// which the container's `start` takes and hands to its monitor as the
// container's stdin. One per container; the service keeps them in memory.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/fs.h"

namespace berth {

class AttachedStdins {
 public:
  // Replaces an earlier offer for the container (its connection gets EOF… when it writes).
  void offer(const std::string& container_id, UniqueFd read_end);
  // The pending read end, or an invalid fd when no connection waits.
  UniqueFd take(const std::string& container_id);

 private:
  std::mutex mutex_;
  std::map<std::string, UniqueFd> pending_;
};

}  // namespace berth
