// `run -it`: the runtime makes the container's terminal and sends its master
// end over a unix socket (runc's --console-socket); the attached berth takes
// it and relays its own terminal to it — raw mode, window size — until the
// container's side closes.
#pragma once

#include <string>

#include "core/fs.h"

namespace berth {

class ConsoleSocket {
 public:
  ConsoleSocket();  // listens on a fresh path under /tmp (unix socket paths are short)
  ~ConsoleSocket();
  ConsoleSocket(const ConsoleSocket&) = delete;
  const std::string& path() const { return path_; }
  // The terminal's master end, once the runtime has sent it. Throws on timeout.
  UniqueFd receive_master();

 private:
  std::string path_;
  UniqueFd fd_;
};

// Relays master -> stdout (and stdin -> master, for -i) until the container's end closes.
void relay_terminal(int master, bool forward_stdin);

}  // namespace berth
