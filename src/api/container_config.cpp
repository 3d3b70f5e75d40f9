#include "api/container_config.h"

#include "core/error.h"
#include "runtime/container_mounts.h"
#include "runtime/port_mapping.h"

namespace berth {

namespace {

const Json& object_at(const Json& parent, const char* key) {
  static const Json empty = Json::object();
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return empty;
  if (!it->is_object()) throw invalid_argument(std::string(key) + " must be an object");
  return *it;
}

std::vector<std::string> strings_at(const Json& parent, const char* key) {
  std::vector<std::string> out;
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return out;
  if (it->is_string()) return {it->get<std::string>()};  // moby's StrSlice takes one string too
  if (!it->is_array()) throw invalid_argument(std::string(key) + " must be a list of strings");
  for (const Json& s : *it) {
    if (!s.is_string()) throw invalid_argument(std::string(key) + " must be a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::optional<std::string> nonempty_string(const Json& parent, const char* key) {
  auto it = parent.find(key);
  if (it == parent.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

int64_t int_at(const Json& parent, const char* key) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return 0;
  if (!it->is_number_integer()) throw invalid_argument(std::string(key) + " must be an integer");
  return it->get<int64_t>();
}

bool bool_at(const Json& parent, const char* key) {
  auto it = parent.find(key);
  return it != parent.end() && it->is_boolean() && it->get<bool>();
}

// An empty HostPort is a port the system picks, as -p 80 is.
Json chosen_port_bindings(const Json& bindings) {
  Json out = Json::object();
  for (PortMapping m : port_mappings(bindings)) {
    if (m.host_port == 0) choose_host_port(&m);
    add_port_binding(&out, m);
  }
  return out;
}

// --mount's fields as Docker sends them: Type, Source, Target, ReadOnly.
Json mount_entry(const Json& m) {
  if (!m.is_object()) throw invalid_argument("HostConfig.Mounts entries must be objects");
  std::string type = m.value("Type", "volume"), target = m.value("Target", "");
  std::string spec = "type=" + type + ",target=" + target;
  if (std::string source = m.value("Source", ""); !source.empty()) spec += ",source=" + source;
  if (m.value("ReadOnly", false)) spec += ",readonly";
  return parse_mount_flag(spec);
}

// HostConfig fields berth does not carry out yet. Ignoring one would run a
// container other than the one asked for — some (PidMode, IpcMode, Devices)
// weaker or stronger in isolation than the client meant — so each is refused.
void refuse_unsupported(const Json& host) {
  auto set = [&](const char* key) {
    auto it = host.find(key);
    if (it == host.end() || it->is_null()) return false;
    if (it->is_string()) return !it->get<std::string>().empty();
    if (it->is_array() || it->is_object()) return !it->empty();
    if (it->is_boolean()) return it->get<bool>();
    return it->is_number() && it->get<double>() != 0;
  };
  for (const char* key : {"PidMode", "UTSMode", "UsernsMode", "CgroupParent", "Devices", "DeviceRequests",
                          "VolumesFrom", "Links", "Sysctls", "GroupAdd", "Ulimits", "OomKillDisable", "ShmSize"})
    if (set(key)) throw invalid_argument(std::string("HostConfig.") + key + " is not supported by berth yet");
  if (std::string ipc = host.value("IpcMode", ""); !ipc.empty() && ipc != "private" && ipc != "shareable")
    throw invalid_argument("HostConfig.IpcMode " + ipc + " is not supported by berth yet");
  const Json& restart = object_at(host, "RestartPolicy");
  if (std::string policy = restart.value("Name", ""); !policy.empty() && policy != "no")
    throw invalid_argument("restart policy \"" + policy + "\" is not supported by berth yet");
}

}  // namespace

ContainerOptions container_options_from_request(const Json& body, const std::string& name) {
  check_container_config_types(body);
  const Json& host = object_at(body, "HostConfig");
  refuse_unsupported(host);
  ContainerOptions o;
  o.image = body.value("Image", "");
  if (o.image.empty()) throw invalid_argument("Config cannot be empty in order to create a container");
  if (body.contains("Entrypoint") && !body["Entrypoint"].is_null()) o.entrypoint = strings_at(body, "Entrypoint");
  o.args = strings_at(body, "Cmd");
  o.env = strings_at(body, "Env");
  o.user = nonempty_string(body, "User");
  o.workdir = nonempty_string(body, "WorkingDir");
  o.hostname = nonempty_string(body, "Hostname");
  o.stop_signal = nonempty_string(body, "StopSignal");
  o.mac_address = body.value("MacAddress", "");
  o.name = name.starts_with("/") ? name.substr(1) : name;
  o.tty = bool_at(body, "Tty");
  o.open_stdin = bool_at(body, "OpenStdin");
  for (const auto& [key, value] : object_at(body, "Labels").items())
    o.labels.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));

  std::string mode = host.value("NetworkMode", "");
  o.network = mode.empty() ? "default" : mode;
  const Json& endpoints = object_at(object_at(body, "NetworkingConfig"), "EndpointsConfig");
  for (const auto& [network, endpoint] : endpoints.items()) {
    if (network != o.network && !(o.network == "default" && network == "bridge")) continue;
    o.network_aliases = strings_at(endpoint, "Aliases");
    o.ip = object_at(endpoint, "IPAMConfig").value("IPv4Address", "");
    if (o.mac_address.empty()) o.mac_address = endpoint.value("MacAddress", "");
  }
  o.dns = strings_at(host, "Dns");
  o.dns_search = strings_at(host, "DnsSearch");
  o.dns_options = strings_at(host, "DnsOptions");
  o.extra_hosts = strings_at(host, "ExtraHosts");
  o.auto_remove = bool_at(host, "AutoRemove");
  o.privileged = bool_at(host, "Privileged");
  o.read_only = bool_at(host, "ReadonlyRootfs");
  o.init = bool_at(host, "Init");
  o.cap_add = strings_at(host, "CapAdd");
  o.cap_drop = strings_at(host, "CapDrop");
  o.security_opt = strings_at(host, "SecurityOpt");
  o.memory = int_at(host, "Memory");
  o.nano_cpus = int_at(host, "NanoCpus");
  o.pids_limit = std::max<int64_t>(int_at(host, "PidsLimit"), 0);
  o.runtime = host.value("Runtime", "");
  o.port_bindings = chosen_port_bindings(object_at(host, "PortBindings"));
  o.publish_all = bool_at(host, "PublishAllPorts");

  for (const std::string& bind : strings_at(host, "Binds")) o.mounts.push_back(parse_volume_flag(bind));
  if (auto it = host.find("Mounts"); it != host.end() && it->is_array())
    for (const Json& m : *it) o.mounts.push_back(mount_entry(m));
  for (const auto& [target, options] : object_at(host, "Tmpfs").items()) {
    std::string opts = options.is_string() ? options.get<std::string>() : "";
    o.mounts.push_back(parse_tmpfs_flag(opts.empty() ? target : target + ":" + opts));
  }
  // -v /data: an anonymous volume, sent as Config.Volumes.
  for (const auto& [target, ignored] : object_at(body, "Volumes").items()) {
    bool named_elsewhere = false;
    for (const Json& m : o.mounts) named_elsewhere = named_elsewhere || m.value("Target", "") == target;
    if (!named_elsewhere) o.mounts.push_back(parse_volume_flag(target));
  }
  return o;
}

}  // namespace berth
