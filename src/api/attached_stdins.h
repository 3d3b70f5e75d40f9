// Stdin that attach connections wait to feed (POST /containers/{id}/attach
// with stdin=1 before the container starts, as `docker run -i[t]` and
// `docker start -ai` do). Without a terminal: the read end of a pipe the
// connection writes to, which the container's `start` takes and hands to its
// monitor as the container's stdin. With one: a promise of the terminal's
// attach socket, which `start` connects to and hands over (its master end goes
// to AttachedTerminals, for resize). The service keeps them in memory.
#pragma once

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/fs.h"

namespace berth {

class AttachedStdins {
 public:
  struct Waiting {
    UniqueFd pipe;                                   // no terminal: the container's stdin
    std::optional<std::promise<UniqueFd>> terminal;  // a terminal: the attach socket, once started
  };

  // Replaces an earlier offer for the container.
  void offer_pipe(const std::string& container_id, UniqueFd read_end);
  std::future<UniqueFd> await_terminal(const std::string& container_id);
  // What waits for the container's start (nothing when no connection waits).
  Waiting take(const std::string& container_id);

 private:
  std::mutex mutex_;
  std::map<std::string, Waiting> pending_;
};

}  // namespace berth
