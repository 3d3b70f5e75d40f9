// `berth system service`: the Engine API on a unix socket (or TCP, loopback
// unless told otherwise), one process, a thread per connection. It exits after `idle_seconds` with no connection open
// (0: never); containers are not its children and keep running.
#pragma once

#include <functional>
#include <string>

#include "api/api_router.h"

namespace berth {

inline constexpr const char* kDefaultApiSocket = "/run/berth.sock";

struct ServiceOptions {
  std::string address = std::string("unix://") + kDefaultApiSocket;  // or tcp://HOST:PORT
  int idle_seconds = 5;  // podman system service's default
  std::string group;     // the unix socket's group ("" = root); mode 0660 either way
  // tcp:// on an address other than loopback: anyone who reaches it is root here.
  bool allow_non_loopback = false;
  // Run after each request is answered (the disk catching up: engine/background_sync.h).
  std::function<void()> after_each_request;
};

// Listens (or takes fd 3 when systemd passed it: LISTEN_FDS=1 for this pid)
// and serves until idle. Throws Error when the address cannot be listened on.
void serve_api(const ServiceOptions& options, const ApiRouter& router);

}  // namespace berth
