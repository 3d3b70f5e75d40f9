// Published ports: Docker's -p syntax ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])
// to and from HostConfig.PortBindings ({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}).
#pragma once

#include <string>
#include <vector>

#include "core/image_config.h"

namespace berth {

struct PortMapping {
  std::string host_ip;  // "" = all addresses
  int host_port = 0;    // 0 = any free port (chosen before the container is created)
  int container_port = 0;
  std::string proto = "tcp";
};

// Throws Error for a malformed spec (one-line, naming it).
PortMapping parse_port_mapping(const std::string& spec);
// Picks a free host port for mappings that leave it to the system.
void choose_host_port(PortMapping* m);

void add_port_binding(Json* bindings, const PortMapping& m);
std::vector<PortMapping> port_mappings(const Json& bindings);

}  // namespace berth
