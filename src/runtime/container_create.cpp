#include "runtime/container_create.h"

#include <unistd.h>

#include <regex>

#include "core/error.h"
#include "core/fs.h"
#include "core/json_members.h"
#include "core/number.h"
#include "core/subprocess.h"
#include "core/timestamp.h"
#include "network/bridge_network.h"
#include "network/ipam.h"
#include "network/network_catalog.h"
#include "runtime/container_mounts.h"
#include "store/event_log.h"
#include "runtime/container_rootfs.h"
#include "runtime/oci_runtime.h"
#include "runtime/port_mapping.h"
#include "runtime/runtime_spec.h"

namespace berth {
namespace {

std::vector<std::string> strings(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const Json& x : j)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

// -e KEY=VALUE replaces the image's KEY; -e KEY takes KEY from berth's environment.
std::vector<std::string> merge_env(const std::vector<std::string>& image_env, const std::vector<std::string>& extra) {
  std::vector<std::string> env = image_env;
  for (std::string e : extra) {
    if (e.find('=') == std::string::npos) {
      const char* v = std::getenv(e.c_str());
      if (!v) continue;  // Docker drops unset names
      e += std::string("=") + v;
    }
    std::string key = e.substr(0, e.find('='));
    bool replaced = false;
    for (std::string& have : env)
      if (have.substr(0, have.find('=')) == key) {
        have = e;
        replaced = true;
      }
    if (!replaced) env.push_back(e);
  }
  bool has_path = false;
  for (const std::string& e : env) has_path |= e.starts_with("PATH=");
  if (!has_path) env.insert(env.begin(), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  return env;
}

}  // namespace

void check_container_name(const std::string& name) {
  static const std::regex kName("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
  if (!std::regex_match(name, kName))
    throw invalid_argument("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
}

void validate_container_options(const ContainerOptions& o) {
  if (!o.name.empty()) check_container_name(o.name);
  if (!o.ip.empty()) Ipv4::parse(o.ip);
  if (!o.mac_address.empty()) parse_mac(o.mac_address);
  for (const std::string& h : o.extra_hosts) {
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0 || (h.substr(colon + 1) != "host-gateway" && !Ipv4::try_parse(h.substr(colon + 1))))
      throw invalid_argument("invalid argument \"" + h + "\" for \"--add-host\" flag: invalid IP address in add-host: \"" +
                             (colon == std::string::npos ? "" : h.substr(colon + 1)) + "\"");
  }
  for (const std::string& d : o.dns)
    if (!Ipv4::try_parse(d)) throw invalid_argument("invalid argument \"" + d + "\" for \"--dns\" flag: " + d + " is not an ip address");
  std::string runtime = o.runtime.empty() ? OciRuntime::default_binary() : o.runtime;
  if (find_in_path(runtime).empty()) throw Error("unknown or invalid runtime name: " + runtime);
  if (o.init && init_binary().empty()) throw Error("--init needs tini-static (Debian's tini package)");
  RuntimeSpecInputs checked;
  apply_security_options(o.security_opt, &checked);
}

namespace {

// The process: Docker's rules: --entrypoint replaces ENTRYPOINT and drops CMD;
// trailing arguments replace CMD.
struct ContainerCommand {
  std::vector<std::string> entrypoint, cmd, argv;
};

ContainerCommand container_command(const Json& ic, const ContainerOptions& o) {
  ContainerCommand c;
  c.entrypoint = o.entrypoint ? *o.entrypoint : strings(ic.value("Entrypoint", Json()));
  if (o.entrypoint && o.entrypoint->size() == 1 && (*o.entrypoint)[0].empty()) c.entrypoint.clear();
  c.cmd = !o.args.empty() ? o.args : o.entrypoint ? std::vector<std::string>{} : strings(ic.value("Cmd", Json()));
  c.argv = c.entrypoint;
  c.argv.insert(c.argv.end(), c.cmd.begin(), c.cmd.end());
  if (c.argv.empty()) throw invalid_argument("No command specified");
  return c;
}

// Docker's Config: the image's, with the options over it.
Json container_config(const ContainerRecord& c, const Json& ic, const ContainerOptions& o, const ContainerCommand& cmd) {
  Json config = Json::object();
  config["Hostname"] = o.hostname.value_or(c.id.substr(0, 12));
  config["Domainname"] = "";
  config["User"] = o.user.value_or(string_member(ic, "User"));
  config["Tty"] = o.tty;
  config["OpenStdin"] = o.open_stdin;
  config["Env"] = merge_env(strings(ic.value("Env", Json())), o.env);
  config["Cmd"] = cmd.cmd.empty() ? Json() : Json(cmd.cmd);
  config["Image"] = o.image;
  config["Volumes"] = ic.value("Volumes", Json());
  config["WorkingDir"] = o.workdir.value_or(string_member(ic, "WorkingDir"));
  config["Entrypoint"] = cmd.entrypoint.empty() ? Json() : Json(cmd.entrypoint);
  config["Labels"] = ic.value("Labels", Json::object());
  if (!config["Labels"].is_object()) config["Labels"] = Json::object();
  for (const std::string& l : o.labels) {
    size_t eq = l.find('=');
    config["Labels"][l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  if (ic.contains("ExposedPorts")) config["ExposedPorts"] = ic["ExposedPorts"];
  if (o.stop_signal) config["StopSignal"] = *o.stop_signal;
  else if (ic.contains("StopSignal")) config["StopSignal"] = ic["StopSignal"];
  return config;
}

// The namespace the container gets (HostConfig.NetworkMode) and the networks
// it joins, by Docker's rules: aliases and a fixed address only on a
// user-defined network; no published ports or hostname in another container's.
struct ContainerNetworking {
  std::string mode;
  std::vector<EndpointRecord> endpoints;
};

ContainerNetworking resolve_networking(Store& store, const ContainerOptions& o, const std::string& id) {
  ensure_default_networks(store);
  ContainerNetworking out;
  const std::string& net = o.network;
  bool user_defined = net != "default" && net != "bridge" && net != "none" && net != "host" && !net.starts_with("container:");
  if (!o.network_aliases.empty() && !user_defined)
    throw invalid_argument("network-scoped alias is supported only for containers in user defined networks");
  if (!o.ip.empty() && !user_defined) throw invalid_argument("user specified IP address is supported on user defined networks only");
  if (net.starts_with("container:")) {
    if (!o.port_bindings.empty() || o.publish_all)
      throw invalid_argument("conflicting options: port publishing and the container type network mode");
    if (o.hostname) throw invalid_argument("conflicting options: hostname and the network mode");
    out.mode = "container:" + store.containers().find(net.substr(10)).id;
    return out;
  }
  out.mode = net == "bridge" ? "default" : net;
  if (net == "none" || net == "host") return out;
  NetworkRecord n = store.networks().find(user_defined ? net : kDefaultBridgeNetwork);
  if (!is_bridge_network(n)) throw invalid_argument("container cannot be connected to network " + n.name);
  if (user_defined) out.mode = n.name;
  if (!o.ip.empty()) check_requested_address(bridge_network(n).addresses, Ipv4::parse(o.ip));
  EndpointRecord e;
  e.network_id = n.id;
  e.container_id = id;
  e.endpoint_id = random_hex(64);
  e.aliases = o.network_aliases;
  e.requested_ip = o.ip;
  out.endpoints.push_back(e);
  return out;
}

// Docker's HostConfig. Mount sources are prepared here: a bad one fails
// before anything is made.
Json host_config(Store& store, const Json& ic, const ContainerOptions& o, const std::string& network_mode) {
  Json mounts = Json::array();
  for (const Json& m : o.mounts) mounts.push_back(prepare_mount(m, store.root() / "volumes"));
  Json ports = o.port_bindings;
  if (o.publish_all && ic.contains("ExposedPorts") && ic["ExposedPorts"].is_object())
    for (const auto& [exposed, _] : ic["ExposedPorts"].items()) {
      if (ports.contains(exposed)) continue;
      PortMapping m = parse_port_mapping(exposed);
      choose_host_port(&m);
      add_port_binding(&ports, m);
    }
  Json host = Json::object();
  host["NetworkMode"] = network_mode;
  host["PortBindings"] = ports;
  host["Mounts"] = mounts;
  host["PublishAllPorts"] = o.publish_all;
  host["AutoRemove"] = o.auto_remove;
  host["Privileged"] = o.privileged;
  host["ReadonlyRootfs"] = o.read_only;
  host["CapAdd"] = o.cap_add;
  host["CapDrop"] = o.cap_drop;
  host["SecurityOpt"] = o.security_opt;
  host["Memory"] = o.memory;
  host["NanoCpus"] = o.nano_cpus;
  host["PidsLimit"] = o.pids_limit;
  host["Runtime"] = o.runtime.empty() ? OciRuntime::default_binary() : o.runtime;
  host["Init"] = o.init;
  host["Dns"] = o.dns;
  host["DnsSearch"] = o.dns_search;
  host["DnsOptions"] = o.dns_options;
  host["ExtraHosts"] = o.extra_hosts.empty() ? Json() : Json(o.extra_hosts);
  return host;
}

// Its writable layer and directory, then its record (invariant 1); undone on failure.
void record_container(Store& store, ContainerRecord& c, bool init, const std::vector<EndpointRecord>& endpoints) {
  std::optional<ImageRecord> rec = store.images().get(c.image_id);
  if (!rec) throw not_found("No such image: " + c.image_id.str());
  c.layer_id = create_container_layer(store, rec->top_layer, init);
  try {
    std::filesystem::create_directory(store.container_dir(c.id));
    Transaction tx(store.db());
    if (!store.images().get(c.image_id)) throw conflict("image " + c.image_id.str() + " was removed meanwhile");
    store.containers().add(c);
    for (const EndpointRecord& e : endpoints) store.networks().add_endpoint(e);
    tx.commit();
  } catch (...) {
    remove_container_layer(store, c.layer_id);
    std::error_code ec;
    std::filesystem::remove_all(store.container_dir(c.id), ec);
    throw;
  }
}

}  // namespace

ContainerRecord create_container(Store& store, const Digest& image_id, const ContainerOptions& o) {
  validate_container_options(o);
  ImageConfig image = store.config_of(image_id);
  const Json ic = image.doc.value("config", Json::object());
  ContainerCommand cmd = container_command(ic, o);

  ContainerRecord c;
  c.id = random_hex(64);
  c.name = o.name.empty() ? generate_container_name(store) : (o.name.starts_with("/") ? o.name.substr(1) : o.name);
  store.containers().check_name_free(c.name);
  c.image_id = image_id;
  c.image = o.image;
  c.created = now_unix_nanos();
  ContainerNetworking networking = resolve_networking(store, o, c.id);
  Json config = container_config(c, ic, o, cmd);
  if (!o.mac_address.empty()) config["MacAddress"] = o.mac_address;
  Json host = host_config(store, ic, o, networking.mode);
  c.config = {{"Path", cmd.argv[0]},
              {"Args", std::vector<std::string>(cmd.argv.begin() + 1, cmd.argv.end())},
              {"Config", config},
              {"HostConfig", host}};
  record_container(store, c, o.init, networking.endpoints);
  record_container_event(store.root(), c, "create");
  return c;
}

void remove_container(Store& store, const ContainerRecord& c, bool volumes) {
  store.containers().remove(c.id);  // the record first: a crash leaves only unrecorded files
  record_container_event(store.root(), c, "destroy");
  remove_container_layer(store, c.layer_id);
  remove_tree(store.container_dir(c.id));
  if (volumes)
    for (const Json& m : c.config["HostConfig"].value("Mounts", Json::array()))
      if (m.value("Anonymous", false)) remove_tree(store.root() / "volumes" / m.value("Name", ""));
}

std::string init_binary() {
  for (const char* name : {"tini-static", "docker-init"})
    if (std::string p = find_in_path(name); !p.empty()) return p;
  return "";
}

std::string generate_container_name(Store& store) {
  // A sample of Docker's lists (moby's pkg/namesgenerator).
  static const char* kLeft[] = {"admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome",
                                "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "cool",
                                "compassionate", "competent", "confident", "cranky", "crazy", "dazzling",
                                "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated",
                                "elegant", "eloquent", "epic", "fervent", "festive", "focused", "friendly",
                                "frosty", "gallant", "gifted", "goofy", "gracious", "happy", "hardcore",
                                "heuristic", "hopeful", "hungry", "infallible", "inspiring", "jolly", "jovial",
                                "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "musing",
                                "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective",
                                "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless",
                                "quirky", "quizzical", "relaxed", "reverent", "romantic", "sad", "serene",
                                "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious",
                                "sweet", "tender", "thirsty", "trusting", "unruffled", "upbeat", "vibrant",
                                "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful",
                                "zealous", "zen"};
  static const char* kRight[] = {"albattani", "allen", "almeida", "archimedes", "ardinghelli", "babbage",
                                 "banach", "bardeen", "bartik", "bell", "benz", "bhabha", "black", "bohr",
                                 "booth", "borg", "bose", "brahmagupta", "brattain", "brown", "carson", "cerf",
                                 "chandrasekhar", "clarke", "colden", "cori", "curie", "darwin", "davinci",
                                 "diffie", "dijkstra", "dubinsky", "easley", "einstein", "elion", "engelbart",
                                 "euclid", "euler", "fermat", "fermi", "feynman", "franklin", "galileo", "gates",
                                 "goldberg", "goldstine", "goodall", "hamilton", "hawking", "heisenberg",
                                 "hellman", "hertz", "hodgkin", "hopper", "hypatia", "jackson", "jang",
                                 "jennings", "johnson", "kalam", "kapitsa", "keller", "kepler", "khorana",
                                 "kilby", "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey",
                                 "leavitt", "lovelace", "lumiere", "mahavira", "mayer", "mccarthy", "mclean",
                                 "meitner", "mendel", "merkle", "mirzakhani", "montalcini", "moore", "morse",
                                 "napier", "nash", "neumann", "newton", "nobel", "noether", "northcutt",
                                 "pascal", "pasteur", "perlman", "pike", "poincare", "ptolemy", "ramanujan",
                                 "ritchie", "rosalind", "saha", "sammet", "shannon", "shockley", "sinoussi",
                                 "stonebraker", "swanson", "tesla", "thompson", "torvalds", "turing", "varahamihira",
                                 "visvesvaraya", "wescoff", "wilbur", "wiles", "williams", "wilson", "wing",
                                 "wozniak", "wright", "yalow", "yonath"};
  for (int attempt = 0;; ++attempt) {
    std::string hex = random_hex(8);
    uint64_t r = parse_uint(hex, "random name index", 16);
    std::string name = std::string(kLeft[r % std::size(kLeft)]) + "_" + kRight[(r >> 16) % std::size(kRight)];
    if (attempt > 5) name += std::to_string(r % 10);  // Docker's retry adds a digit
    if (!store.containers().name_taken(name)) return name;
  }
}

}  // namespace berth
