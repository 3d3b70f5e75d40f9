// berth network create|ls|inspect|rm|prune: Docker's network objects
// (engine/networks.h), with Docker's flags, columns and messages.
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "cli/prune_output.h"
#include "cli/go_template.h"
#include "cli/input.h"
#include "cli/inspect_output.h"
#include "core/error.h"
#include "core/timestamp.h"
#include "engine/networks.h"

namespace berth {
namespace {

int create(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "network create");
  if (args.flag("ipv6")) throw invalid_argument("IPv6 networks are not supported by berth");
  std::string ipam = args.value("ipam-driver", "default");
  if (ipam != "default") throw not_found("plugin \"" + ipam + "\" not found");
  NetworkCreateOptions o;
  o.driver = args.value("driver", "bridge");
  o.bridge.name = args.positional()[0];
  o.bridge.subnet = args.value("subnet");
  o.bridge.gateway = args.value("gateway");
  o.bridge.ip_range = args.value("ip-range");
  o.bridge.internal = args.flag("internal");
  o.bridge.labels = key_value_flags(args.values("label"));
  o.bridge.options = key_value_flags(args.values("opt"));
  std::cout << create_network(ctx.store(), o).id << "\n";
  return 0;
}

std::string joined_labels(const Json& labels) {
  std::string out;
  for (const auto& [k, v] : labels.items()) out += (out.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  return out;
}

int ls(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "network ls");
  Store& store = ctx.store();
  bool no_trunc = args.flag("no-trunc");
  std::vector<Json> rows;
  for (const NetworkRecord& n : list_networks(store, args.values("filter"))) {
    rows.push_back({{"ID", no_trunc ? n.id : n.id.substr(0, 12)},
                    {"Name", n.name},
                    {"Driver", n.driver},
                    {"Scope", "local"},
                    {"IPv6", "false"},
                    {"Internal", n.config.value("Internal", false) ? "true" : "false"},
                    {"Labels", joined_labels(n.config.value("Labels", Json::object()))},
                    {"CreatedAt", rfc3339_nano(n.created)}});
  }
  if (args.flag("quiet")) {
    for (const Json& r : rows) std::cout << r["ID"].get<std::string>() << "\n";
    return 0;
  }
  Json headers = {{"ID", "NETWORK ID"}, {"Name", "NAME"},         {"Driver", "DRIVER"}, {"Scope", "SCOPE"},
                  {"IPv6", "IPV6"},     {"Internal", "INTERNAL"}, {"Labels", "LABELS"}, {"CreatedAt", "CREATED AT"}};
  std::cout << format_rows(args.value("format", "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"), rows, headers);
  return 0;
}

int inspect(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "network inspect");
  Store& store = ctx.store();
  return print_inspected(args.positional(), args.value("format"), "network",
                         [&](const std::string& ref) { return inspect_network(store, find_network(store, ref)); });
}

int rm(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "network rm");
  int status = 0;
  for (const std::string& ref : args.positional()) {
    try {
      remove_network(ctx.store(), ref);
      std::cout << ref << "\n";
    } catch (const Error& e) {
      std::cerr << "Error: " << (e.kind() == ErrorKind::not_found ? "No such network: " + ref : std::string(e.what()))
                << "\n";
      status = 1;
    }
  }
  return status;
}

int prune(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "network prune");
  if (!args.flag("force") && !confirmed("WARNING! This will remove all custom networks not used by at least one container."))
    return 0;
  print_deleted("Deleted Networks:", prune_networks(ctx.store()));
  return 0;
}

int connect(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "network connect");
  std::vector<std::string> aliases = args.values("alias");
  connect_network(ctx.store(), args.positional()[0], args.positional()[1], aliases, args.value("ip"));
  return 0;
}

int disconnect(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "network disconnect");
  disconnect_network(ctx.store(), args.positional()[0], args.positional()[1]);
  return 0;
}

}  // namespace

const Command kNetworkConnectCommand = {"network connect", "berth network connect [OPTIONS] NETWORK CONTAINER",
                                        "Connect a container to a network",
                                        {{0, "alias", true}, {0, "ip", true}, {0, "ip6", true}, {0, "link", true},
                                         {0, "link-local-ip", true}, {0, "driver-opt", true}},
                                        connect};
const Command kNetworkDisconnectCommand = {"network disconnect", "berth network disconnect [OPTIONS] NETWORK CONTAINER",
                                           "Disconnect a container from a network", {{'f', "force", false}},
                                           disconnect};
const Command kNetworkCreateCommand = {"network create", "berth network create [OPTIONS] NETWORK", "Create a network",
                                       {{'d', "driver", true}, {0, "subnet", true}, {0, "gateway", true},
                                        {0, "ip-range", true}, {0, "internal", false}, {0, "label", true},
                                        {'o', "opt", true}, {0, "attachable", false}, {0, "ipv6", false},
                                        {0, "ipam-driver", true}},
                                       create};
const Command kNetworkLsCommand = {"network ls", "berth network ls [OPTIONS]", "List networks",
                                   {{'q', "quiet", false}, {0, "no-trunc", false}, {'f', "filter", true},
                                    {0, "format", true}},
                                   ls};
const Command kNetworkInspectCommand = {"network inspect", "berth network inspect [OPTIONS] NETWORK [NETWORK...]",
                                        "Display detailed information on one or more networks",
                                        {{'f', "format", true}, {'v', "verbose", false}}, inspect};
const Command kNetworkRmCommand = {"network rm", "berth network rm NETWORK [NETWORK...]", "Remove one or more networks",
                                   {}, rm};
const Command kNetworkPruneCommand = {"network prune", "berth network prune [OPTIONS]", "Remove all unused networks",
                                      {{'f', "force", false}}, prune};

}  // namespace berth
