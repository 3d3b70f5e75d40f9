// The embedded DNS resolver of a container on a user-defined network,
// Docker's 127.0.0.11 model without a daemon: the container's monitor runs
// it, listening on 127.0.0.11:53 (UDP and TCP) inside the container's
// network namespace, for as long as the container runs. It answers the
// names of the containers that share a network with this one — container
// name, --network-alias, short ID, NAME.NETWORK — from the store at the
// moment of the query, and forwards every other query, as it came, to the
// upstream servers (--dns, else the host's resolv.conf) from the host's
// namespace, where the host's own resolver (127.0.0.53, say) is reachable.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/fs.h"
#include "network/ipv4.h"

namespace berth {

// What a name means on this container's networks; nullopt when nothing
// there has it (the query is forwarded). `names_of` maps an address back.
struct DnsNames {
  std::function<std::vector<Ipv4>(const std::string& name)> addresses_of;
  std::function<std::optional<std::string>(Ipv4 address)> name_of;
};

// The answer to one query message: from `names`, or from upstream; empty
// when there is none to give (an upstream that did not answer).
std::vector<uint8_t> resolve_dns_query(const std::vector<uint8_t>& query, const DnsNames& names,
                                       const std::vector<std::string>& upstream, bool tcp);

class DnsResolver {
 public:
  // Binds 127.0.0.11:53 inside the namespace pinned at `netns`.
  DnsResolver(const std::filesystem::path& netns, DnsNames names, std::vector<std::string> upstream);
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;

  void start();  // serves on background threads until destroyed

 private:
  void serve_udp();
  void serve_tcp();

  DnsNames names_;
  std::vector<std::string> upstream_;
  UniqueFd udp_, tcp_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace berth
