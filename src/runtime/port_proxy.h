// The userspace proxy for published ports (docs/architecture.md §7), run by the
// container's monitor: it listens on the host, and for each TCP connection
// opens a socket inside the container's network namespace to 127.0.0.1:PORT
// there, then moves bytes both ways with splice(2) — through a pipe, never
// through user space. UDP datagrams are relayed per client address. No bridge,
// no NAT, no iptables.
#pragma once

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "runtime/port_mapping.h"

namespace berth {

class PortProxy {
 public:
  // Binds every listener now, so a port in use fails the start with Docker's
  // "Bind for 0.0.0.0:8080 failed: port is already allocated".
  PortProxy(const std::vector<PortMapping>& mappings, std::filesystem::path netns);
  ~PortProxy();
  PortProxy(const PortProxy&) = delete;

  void start();  // accepts on background threads until destroyed

 private:
  void accept_loop(size_t i);
  void udp_loop(size_t i);

  struct Listener {
    int fd;
    int container_port;
    bool udp;
  };
  std::filesystem::path netns_;
  std::vector<Listener> listeners_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
};

}  // namespace berth
