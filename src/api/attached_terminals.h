// The master ends of the terminals this service relays to its clients (a
// container's, attached through its attach socket; an exec's, whose pty is the
// service's own), kept while a client is attached so that a resize
// (POST /containers/{id}/resize, /exec/{id}/resize) can size them. A size that
// arrives before its terminal does (the docker CLI sends it right after the
// start, which races the runtime) is applied when the terminal is added.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "core/fs.h"

namespace berth {

class AttachedTerminals {
 public:
  // `key`: a container ID or an exec ID. Several clients may attach to one
  // container's terminal: it stays until the last one removes it. The newest
  // master is kept (a container restarted under its clients has a new terminal).
  void add(const std::string& key, UniqueFd master);
  void remove(const std::string& key);
  // TIOCSWINSZ now, or when the terminal is added; false when it is not there
  // yet. A size kept for a terminal that does not come within a minute goes.
  bool resize(const std::string& key, int rows, int columns);

  // Removes `key` when the relay that added it ends, however it ends.
  class Detach {
   public:
    Detach(AttachedTerminals& terminals, std::string key) : terminals_(terminals), key_(std::move(key)) {}
    ~Detach() { terminals_.remove(key_); }
    Detach(const Detach&) = delete;
    Detach& operator=(const Detach&) = delete;

   private:
    AttachedTerminals& terminals_;
    std::string key_;
  };

 private:
  struct Size {
    int rows = 0, columns = 0;
    std::chrono::steady_clock::time_point when;
  };
  struct Attached {
    UniqueFd master;
    int clients = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Attached> attached_;
  std::map<std::string, Size> pending_;
};

}  // namespace berth
