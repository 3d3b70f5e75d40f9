// Network namespaces that belong to a container rather than to a process:
// made with only loopback (up), and pinned by a bind mount of the
// namespace file, so the runtime can join it and the monitor's port proxy
// can open sockets in it (docs/architecture.md §7) — no bridge, no iptables.
#pragma once

#include <filesystem>

namespace berth {

void create_network_namespace(const std::filesystem::path& pin);
// Unmounts and deletes the pin; no error when it is already gone.
void remove_network_namespace(const std::filesystem::path& pin);

// Runs on the calling thread inside the namespace pinned at `pin` (a
// connecting socket made there stays there), then returns to the original.
class NetworkNamespaceGuard {
 public:
  explicit NetworkNamespaceGuard(const std::filesystem::path& pin);
  ~NetworkNamespaceGuard();
  NetworkNamespaceGuard(const NetworkNamespaceGuard&) = delete;

 private:
  int original_ = -1;
};

}  // namespace berth
