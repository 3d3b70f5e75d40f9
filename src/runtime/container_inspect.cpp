#include "runtime/container_inspect.h"

#include "core/fs.h"
#include "core/timestamp.h"
#include "network/bridge_network.h"
#include "network/network_catalog.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_pause.h"
#include "runtime/container_paths.h"
#include "runtime/network_mode.h"
#include "runtime/port_mapping.h"

namespace berth {

Json container_endpoints(Store& store, const ContainerRecord& c) {
  Json networks = Json::object();
  for (const ContainerNetwork& n : container_networks(store, c)) {
    bool leased = n.endpoint && !n.endpoint->ip.empty();
    std::string gateway;
    int prefix = 0;
    if (leased && is_bridge_network(n.network)) {
      BridgeNetwork b = bridge_network(n.network);
      gateway = b.addresses.gateway.str();
      prefix = b.addresses.subnet.prefix;
    }
    Json aliases = nullptr;
    if (n.endpoint && n.network.name != kDefaultBridgeNetwork) {
      aliases = Json::array({c.id.substr(0, 12)});  // Docker adds the short ID on user-defined networks
      for (const std::string& a : n.endpoint->aliases) aliases.push_back(a);
    }
    Json ipam = n.endpoint && !n.endpoint->requested_ip.empty() ? Json{{"IPv4Address", n.endpoint->requested_ip}} : Json();
    networks[n.network.name] = {{"IPAMConfig", ipam},
                                {"Links", nullptr},
                                {"Aliases", aliases},
                                {"NetworkID", n.network.id},
                                {"EndpointID", leased ? n.endpoint->endpoint_id : ""},
                                {"Gateway", gateway},
                                {"IPAddress", leased ? n.endpoint->ip : ""},
                                {"IPPrefixLen", prefix},
                                {"IPv6Gateway", ""},
                                {"GlobalIPv6Address", ""},
                                {"GlobalIPv6PrefixLen", 0},
                                {"MacAddress", leased ? n.endpoint->mac : ""},
                                {"DriverOpts", nullptr}};
  }
  return networks;
}

Json container_mounts(const ContainerRecord& c) {
  Json mounts = Json::array();
  for (const Json& m : c.config["HostConfig"].value("Mounts", Json::array())) {
    Json out = {{"Type", m.value("Type", "")},
                {"Source", m.value("Source", "")},
                {"Destination", m.value("Target", "")},
                {"Mode", ""},
                {"RW", !m.value("ReadOnly", false)},
                {"Propagation", m.value("Type", "") == "bind" ? "rprivate" : ""}};
    if (m.contains("Name")) {
      out["Name"] = m["Name"];
      out["Driver"] = "local";
    }
    mounts.push_back(out);
  }
  return mounts;
}

namespace {

// Go's zero time for "never".
std::string docker_time(int64_t nanos) { return nanos ? rfc3339_nano(nanos) : "0001-01-01T00:00:00Z"; }

// Docker's NetworkSettings: each network's endpoint, and at the top the
// default bridge's address (Docker shows only that one there).
Json network_settings(Store& store, const ContainerRecord& c, const Json& ports) {
  bool running = c.state == "running";
  Json settings = {{"Bridge", ""},
                   {"SandboxID", running && network_mode(c).kind != NetworkMode::Kind::host ? c.id : ""},
                   {"HairpinMode", false},
                   {"LinkLocalIPv6Address", ""},
                   {"LinkLocalIPv6PrefixLen", 0},
                   {"Ports", ports},
                   {"SandboxKey", running && network_mode(c).kind == NetworkMode::Kind::own
                                      ? ContainerPaths(store, c.id).netns().string()
                                      : ""},
                   {"SecondaryIPAddresses", nullptr},
                   {"SecondaryIPv6Addresses", nullptr},
                   {"EndpointID", ""},
                   {"Gateway", ""},
                   {"GlobalIPv6Address", ""},
                   {"GlobalIPv6PrefixLen", 0},
                   {"IPAddress", ""},
                   {"IPPrefixLen", 0},
                   {"IPv6Gateway", ""},
                   {"MacAddress", ""}};
  Json networks = container_endpoints(store, c);
  if (networks.contains(kDefaultBridgeNetwork))
    for (const char* key : {"EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "MacAddress"})
      settings[key] = networks[kDefaultBridgeNetwork][key];
  settings["Networks"] = std::move(networks);
  return settings;
}

// Docker's HostConfig in its struct's order, every field an SDK may read
// (docker-py reads LogConfig.Type after every run) present with Docker's
// default; what berth recorded at create replaces the default. Fields berth
// records that Docker has not (Init) come after, as omitempty fields do.
Json docker_host_config(const Json& stored) {
  Json none = nullptr;
  Json h = {{"Binds", none}, {"ContainerIDFile", ""}, {"LogConfig", {{"Type", "json-file"}, {"Config", Json::object()}}},
            {"NetworkMode", "default"}, {"PortBindings", Json::object()},
            {"RestartPolicy", {{"Name", "no"}, {"MaximumRetryCount", 0}}}, {"AutoRemove", false},
            {"VolumeDriver", ""}, {"VolumesFrom", none}, {"CapAdd", none}, {"CapDrop", none},
            {"CgroupnsMode", "host"}, {"Dns", Json::array()}, {"DnsOptions", Json::array()},
            {"DnsSearch", Json::array()}, {"ExtraHosts", none}, {"GroupAdd", none}, {"IpcMode", "private"},
            {"Cgroup", ""}, {"Links", none}, {"OomScoreAdj", 0}, {"PidMode", ""}, {"Privileged", false},
            {"PublishAllPorts", false}, {"ReadonlyRootfs", false}, {"SecurityOpt", none}, {"UTSMode", ""},
            {"UsernsMode", ""}, {"ShmSize", 67108864}, {"Runtime", "runc"}, {"ConsoleSize", {0, 0}},
            {"Isolation", ""}, {"CpuShares", 0}, {"Memory", 0}, {"NanoCpus", 0}, {"CgroupParent", ""},
            {"BlkioWeight", 0}, {"BlkioWeightDevice", Json::array()}, {"BlkioDeviceReadBps", none},
            {"BlkioDeviceWriteBps", none}, {"BlkioDeviceReadIOps", none}, {"BlkioDeviceWriteIOps", none},
            {"CpuPeriod", 0}, {"CpuQuota", 0}, {"CpuRealtimePeriod", 0}, {"CpuRealtimeRuntime", 0},
            {"CpusetCpus", ""}, {"CpusetMems", ""}, {"Devices", Json::array()}, {"DeviceCgroupRules", none},
            {"DeviceRequests", none}, {"KernelMemory", 0}, {"KernelMemoryTCP", 0}, {"MemoryReservation", 0},
            {"MemorySwap", 0}, {"MemorySwappiness", none}, {"OomKillDisable", false}, {"PidsLimit", none},
            {"Ulimits", none}, {"CpuCount", 0}, {"CpuPercent", 0}, {"IOMaximumIOps", 0},
            {"IOMaximumBandwidth", 0}, {"Mounts", Json::array()}};
  if (stored.is_object())
    for (const auto& [key, value] : stored.items()) h[key] = value;
  return h;
}

}  // namespace

Json inspect_container(Store& store, const ContainerRecord& stored) {
  ContainerRecord c = refresh_container(store, stored);
  const ContainerPaths paths(store, c.id);
  std::filesystem::path layer = store.layers().overlay_dir() / c.layer_id;
  bool running = c.state == "running";
  Json j = Json::object();
  j["Id"] = c.id;
  j["Created"] = rfc3339_nano(c.created);
  j["Path"] = c.config.value("Path", "");
  j["Args"] = c.config.value("Args", Json::array());
  j["State"] = {{"Status", docker_state(c)},  {"Running", running},     {"Paused", c.paused},
                {"Restarting", false},        {"OOMKilled", false},     {"Dead", false},
                {"Pid", running ? c.pid : 0}, {"ExitCode", c.exit_code}, {"Error", ""},
                {"StartedAt", docker_time(c.started_at)}, {"FinishedAt", docker_time(c.finished_at)}};
  j["Image"] = c.image_id.str();
  j["ResolvConfPath"] = paths.resolv_conf().string();
  j["HostnamePath"] = paths.hostname().string();
  j["HostsPath"] = paths.hosts().string();
  j["LogPath"] = paths.log().string();
  j["Name"] = "/" + c.name;
  j["RestartCount"] = 0;
  j["Driver"] = "overlay2";
  j["Platform"] = "linux";
  j["HostConfig"] = docker_host_config(c.config["HostConfig"]);
  std::string lower;
  try {
    std::string short_lower = read_file(layer / "lower");  // l/A:l/B -> full diff paths, as Docker shows them
    size_t start = 0;
    while (start <= short_lower.size()) {
      size_t end = short_lower.find(':', start);
      if (end == std::string::npos) end = short_lower.size();
      std::error_code ec;
      std::filesystem::path target =
          std::filesystem::canonical(store.layers().overlay_dir() / short_lower.substr(start, end - start), ec);
      if (!lower.empty()) lower += ":";
      lower += ec ? short_lower.substr(start, end - start) : target.string();
      start = end + 1;
    }
  } catch (const std::exception&) {
  }
  j["GraphDriver"] = {{"Data",
                       {{"LowerDir", lower},
                        {"MergedDir", (layer / "merged").string()},
                        {"UpperDir", (layer / "diff").string()},
                        {"WorkDir", (layer / "work").string()}}},
                      {"Name", "overlay2"}};
  j["Mounts"] = container_mounts(c);
  j["Config"] = c.config["Config"];
  Json ports = Json::object();
  for (const PortMapping& p : port_mappings(c.config["HostConfig"].value("PortBindings", Json::object()))) {
    std::string key = std::to_string(p.container_port) + "/" + p.proto;
    if (!running) {
      ports[key] = nullptr;
      continue;
    }
    ports[key].push_back({{"HostIp", p.host_ip.empty() ? "0.0.0.0" : p.host_ip}, {"HostPort", std::to_string(p.host_port)}});
  }
  j["NetworkSettings"] = network_settings(store, c, ports);
  return j;
}

}  // namespace berth
