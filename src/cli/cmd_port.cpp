// berth port CONTAINER [PRIVATE_PORT[/PROTO]]: its published ports, as Docker lists them.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "runtime/container_lifecycle.h"
#include "runtime/port_mapping.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 2, "port");
  ContainerRecord c = refresh_container(ctx.store(), ctx.store().containers().find(args.positional()[0]));
  std::string want = args.positional().size() == 2 ? args.positional()[1] : "";
  if (!want.empty() && want.find('/') == std::string::npos) want += "/tcp";
  bool found = false;
  for (const PortMapping& m : port_mappings(c.config["HostConfig"].value("PortBindings", Json::object()))) {
    std::string key = std::to_string(m.container_port) + "/" + m.proto;
    if (!want.empty() && key != want) continue;
    found = true;
    std::string host = (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" + std::to_string(m.host_port);
    std::cout << (want.empty() ? key + " -> " : "") << host << "\n";
  }
  if (!want.empty() && !found) throw Error("No public port '" + want + "' published for " + c.name);
  return 0;
}

}  // namespace

const Command kPortCommand = {"port", "berth port CONTAINER [PRIVATE_PORT[/PROTO]]",
                              "List port mappings or a specific mapping for the container", {}, run};

}  // namespace berth
