// The packet filter rules of berth's bridge networks, in chains of berth's
// own that the FORWARD and POSTROUTING chains jump to: traffic within a
// bridge passes, traffic between two berth bridges is dropped (Docker's
// isolation), a network's own traffic goes out masqueraded unless the
// network is --internal, and only replies come back in. The chains are
// written whole from the list of networks in one iptables-restore (so a rule
// can never be left behind by a network that is gone), under a lock that
// two berth processes share (docs/containers.md, "Networks").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "network/ipv4.h"

namespace berth {

struct FirewallNetwork {
  std::string bridge;
  Subnet subnet;
  bool internal = false;
};

// iptables-restore --noflush input for the given networks (pure, for the tests).
std::string iptables_rules(const std::vector<FirewallNetwork>& networks);

// Rewrites berth's chains for `networks` and makes sure FORWARD and
// POSTROUTING jump to them. `lock` is a file the callers of one store share.
void sync_firewall(const std::vector<FirewallNetwork>& networks, const std::filesystem::path& lock);

// Removes berth's chains and the jumps to them (the last network is gone).
void remove_firewall(const std::filesystem::path& lock);

}  // namespace berth
