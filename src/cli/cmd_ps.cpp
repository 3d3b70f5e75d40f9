// berth ps [-a] [-q] [--no-trunc] [--filter] [--format]: containers, Docker's columns.
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "engine/container_list.h"
#include "cli/go_template.h"
#include "core/units.h"
#include "core/image_config.h"
#include "core/timestamp.h"
#include "runtime/network_mode.h"

namespace berth {
namespace {

std::string quote_command(const ContainerRecord& c, bool no_trunc) {
  std::string cmd = c.config.value("Path", "");
  for (const Json& a : c.config.value("Args", Json::array())) cmd += " " + a.get<std::string>();
  return "\"" + (no_trunc ? cmd : ellipsis(cmd, 20)) + "\"";
}

std::string ago(int64_t nanos) { return human_duration((now_unix_nanos() - nanos) / 1000000000) + " ago"; }

// "0.0.0.0:8080->80/tcp", Docker's PORTS column.
std::string ports_of(const ContainerRecord& c) {
  std::string out;
  const Json& bindings = c.config["HostConfig"].value("PortBindings", Json::object());
  for (const auto& [port, list] : bindings.items())
    for (const Json& b : list) {
      std::string ip = b.value("HostIp", "");
      if (!out.empty()) out += ", ";
      out += (ip.empty() ? "0.0.0.0" : ip) + ":" + b.value("HostPort", "") + "->" + port;
    }
  return out;
}

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "ps");
  Store& store = ctx.store();
  bool no_trunc = args.flag("no-trunc");
  std::vector<Json> rows;
  for (const ContainerRecord& c : list_containers(store, args.flag("all"), args.values("filter"))) {
    Json row = Json::object();
    row["ID"] = no_trunc ? c.id : c.id.substr(0, 12);
    row["Image"] = c.image;
    row["Command"] = quote_command(c, no_trunc);
    row["CreatedAt"] = rfc3339_nano(c.created);
    row["RunningFor"] = ago(c.created);
    row["Ports"] = ports_of(c);
    row["State"] = c.state;
    row["Status"] = container_status(c);
    row["Names"] = c.name;
    // Sorted: Docker joins them in Go's random map order.
    std::vector<std::string> pairs;
    const Json label_map = c.config["Config"].value("Labels", Json::object());
    for (const auto& [key, value] : label_map.items())
      pairs.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
    std::sort(pairs.begin(), pairs.end());
    std::string labels;
    for (const std::string& p : pairs) labels += (labels.empty() ? "" : ",") + p;
    row["Labels"] = labels;
    std::string networks;
    for (const ContainerNetwork& n : container_networks(store, c)) networks += (networks.empty() ? "" : ",") + n.network.name;
    row["Networks"] = networks;
    rows.push_back(row);
  }
  if (args.flag("quiet")) {
    for (const Json& r : rows) std::cout << r["ID"].get<std::string>() << "\n";
    return 0;
  }
  std::string format = args.value("format", "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}");
  Json headers = {{"ID", "CONTAINER ID"}, {"Image", "IMAGE"}, {"Command", "COMMAND"}, {"CreatedAt", "CREATED AT"},
                  {"RunningFor", "CREATED"}, {"Ports", "PORTS"}, {"State", "STATE"}, {"Status", "STATUS"},
                  {"Names", "NAMES"}, {"Labels", "LABELS"}, {"Networks", "NETWORKS"}};
  std::cout << format_rows(format, rows, headers);
  return 0;
}

}  // namespace

const Command kPsCommand = {"ps", "berth ps [OPTIONS]", "List containers",
                            {{'a', "all", false}, {'q', "quiet", false}, {0, "no-trunc", false}, {'f', "filter", true},
                             {0, "format", true}},
                            run};

}  // namespace berth
