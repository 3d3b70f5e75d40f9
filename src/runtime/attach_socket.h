// The attach socket of a container with a terminal: `<container dir>/attach.sock`,
// served by its monitor. A client that connects first receives a copy of the
// terminal's master end (send_fd; only to set the window size), then the
// terminal's output as raw bytes; what it writes goes to the terminal's input
// (when the container was created with -i). `run -it`, `start -a` and
// `attach` are such clients.
#pragma once

#include <filesystem>

#include "core/fs.h"

namespace berth {

class AttachListener {
 public:
  explicit AttachListener(const std::filesystem::path& container_dir);  // binds, mode 0600
  ~AttachListener();
  AttachListener(const AttachListener&) = delete;
  int fd() const { return fd_.get(); }

 private:
  std::filesystem::path path_;
  UniqueFd fd_;
};

// Connects to a container's attach socket; throws when nothing listens.
UniqueFd connect_attach(const std::filesystem::path& container_dir);

}  // namespace berth
