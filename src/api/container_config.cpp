#include "api/container_config.h"

#include "api/body_members.h"
#include "core/error.h"
#include "runtime/container_mounts.h"
#include "runtime/port_mapping.h"

namespace berth {

namespace {

std::optional<std::string> nonempty_string(const Json& parent, const char* key) {
  auto it = parent.find(key);
  if (it == parent.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
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
  std::string spec = "type=" + body_string(m, "Type", "volume") + ",target=" + body_string(m, "Target");
  if (std::string source = body_string(m, "Source"); !source.empty()) spec += ",source=" + source;
  if (body_bool(m, "ReadOnly")) spec += ",readonly";
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
  if (std::string ipc = body_string(host, "IpcMode"); !ipc.empty() && ipc != "private" && ipc != "shareable")
    throw invalid_argument("HostConfig.IpcMode " + ipc + " is not supported by berth yet");
  const Json& restart = body_object(host, "RestartPolicy");
  if (std::string policy = body_string(restart, "Name"); !policy.empty() && policy != "no")
    throw invalid_argument("restart policy \"" + policy + "\" is not supported by berth yet");
}

}  // namespace

ContainerOptions container_options_from_request(const Json& body, const std::string& name) {
  check_container_config_types(body);
  const Json& host = body_object(body, "HostConfig");
  refuse_unsupported(host);
  ContainerOptions o;
  o.image = body.value("Image", "");
  if (o.image.empty()) throw invalid_argument("Config cannot be empty in order to create a container");
  if (body.contains("Entrypoint") && !body["Entrypoint"].is_null()) o.entrypoint = body_strings(body, "Entrypoint", /*or_string=*/true);
  o.args = body_strings(body, "Cmd", /*or_string=*/true);
  o.env = body_strings(body, "Env");
  o.user = nonempty_string(body, "User");
  o.workdir = nonempty_string(body, "WorkingDir");
  o.hostname = nonempty_string(body, "Hostname");
  o.stop_signal = nonempty_string(body, "StopSignal");
  o.mac_address = body.value("MacAddress", "");
  o.name = name.starts_with("/") ? name.substr(1) : name;
  o.tty = body_bool(body, "Tty");
  o.open_stdin = body_bool(body, "OpenStdin");
  for (const auto& [key, value] : body_object(body, "Labels").items())  // strings: checked above
    o.labels.push_back(key + "=" + value.get<std::string>());

  std::string mode = body_string(host, "NetworkMode");
  o.network = mode.empty() ? "default" : mode;
  const Json& endpoints = body_object(body_object(body, "NetworkingConfig"), "EndpointsConfig");
  for (const auto& [network, ignored] : endpoints.items()) {
    if (network != o.network && !(o.network == "default" && network == "bridge")) continue;
    const Json& endpoint = body_object(endpoints, network.c_str());
    o.network_aliases = body_strings(endpoint, "Aliases");
    o.ip = body_string(body_object(endpoint, "IPAMConfig"), "IPv4Address");
    if (o.mac_address.empty()) o.mac_address = body_string(endpoint, "MacAddress");
  }
  o.dns = body_strings(host, "Dns");
  o.dns_search = body_strings(host, "DnsSearch");
  o.dns_options = body_strings(host, "DnsOptions");
  o.extra_hosts = body_strings(host, "ExtraHosts");
  o.auto_remove = body_bool(host, "AutoRemove");
  o.privileged = body_bool(host, "Privileged");
  o.read_only = body_bool(host, "ReadonlyRootfs");
  o.init = body_bool(host, "Init");
  o.cap_add = body_strings(host, "CapAdd", /*or_string=*/true);
  o.cap_drop = body_strings(host, "CapDrop", /*or_string=*/true);
  o.security_opt = body_strings(host, "SecurityOpt");
  o.memory = body_int(host, "Memory");
  o.nano_cpus = body_int(host, "NanoCpus");
  o.pids_limit = std::max<int64_t>(body_int(host, "PidsLimit"), 0);
  o.runtime = body_string(host, "Runtime");
  o.port_bindings = chosen_port_bindings(body_object(host, "PortBindings"));
  o.publish_all = body_bool(host, "PublishAllPorts");

  for (const std::string& bind : body_strings(host, "Binds")) o.mounts.push_back(parse_volume_flag(bind));
  for (const Json& m : body_array(host, "Mounts")) o.mounts.push_back(mount_entry(m));
  for (const auto& [target, options] : body_string_map(host, "Tmpfs").items()) {
    std::string opts = options.get<std::string>();
    o.mounts.push_back(parse_tmpfs_flag(opts.empty() ? target : target + ":" + opts));
  }
  // -v /data: an anonymous volume, sent as Config.Volumes.
  for (const auto& [target, ignored] : body_object(body, "Volumes").items()) {
    bool named_elsewhere = false;
    for (const Json& m : o.mounts) named_elsewhere = named_elsewhere || m.value("Target", "") == target;
    if (!named_elsewhere) o.mounts.push_back(parse_volume_flag(target));
  }
  return o;
}

}  // namespace berth
