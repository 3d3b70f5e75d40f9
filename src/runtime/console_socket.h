// Where runc sends a container's terminal: with -t, `runc create
// --console-socket PATH` makes the terminal and sends its master end over a
// unix socket. The container's monitor listens, keeps the master (its output
// goes to the log and to attached clients), and hands copies to `attach`.
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

}  // namespace berth
