// berth run [OPTIONS] IMAGE [COMMAND] [ARG...] and berth create: a container
// from an image (pulled first when missing, by --pull), started by its
// monitor; attached, its output follows and berth exits with its exit code.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/input.h"
#include "cli/container_attach.h"
#include "cli/progress_printer.h"
#include "cli/registry_access.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/number.h"
#include "registry/image_puller.h"
#include "runtime/container_create.h"
#include "runtime/container_mounts.h"
#include "runtime/monitor_launch.h"
#include "runtime/port_mapping.h"

namespace berth {
namespace {

// A failure of berth itself, before the container ran: Docker's 125.
class RunError : public Error {
 public:
  RunError(int code, const std::string& m) : Error(m), code(code) {}
  int code;
};

std::vector<std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("open " + path + ": no such file or directory");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

ContainerOptions options_from(const Args& args) {
  ContainerOptions o;
  o.image = args.positional()[0];
  o.args.assign(args.positional().begin() + 1, args.positional().end());
  for (const std::string& f : args.values("env-file"))
    for (const std::string& e : read_env_file(f)) o.env.push_back(e);
  for (const std::string& e : args.values("env")) o.env.push_back(e);
  if (args.has("entrypoint")) o.entrypoint = std::vector<std::string>{args.value("entrypoint")};
  if (args.has("user")) o.user = args.value("user");
  if (args.has("workdir")) o.workdir = args.value("workdir");
  if (args.has("hostname")) o.hostname = args.value("hostname");
  if (args.has("stop-signal")) o.stop_signal = args.value("stop-signal");
  o.name = args.value("name");
  o.network = args.value("network", args.value("net", "default"));
  o.network_aliases = args.values("network-alias");
  for (const std::string& a : args.values("net-alias")) o.network_aliases.push_back(a);
  o.ip = args.value("ip");
  o.mac_address = args.value("mac-address");
  o.dns = args.values("dns");
  o.dns_search = args.values("dns-search");
  o.dns_options = args.values("dns-option");
  o.extra_hosts = args.values("add-host");
  o.auto_remove = args.flag("rm");
  o.privileged = args.flag("privileged");
  o.read_only = args.flag("read-only");
  o.cap_add = args.values("cap-add");
  o.cap_drop = args.values("cap-drop");
  o.security_opt = args.values("security-opt");
  o.memory = parse_memory_size(args.value("memory"));
  o.nano_cpus = static_cast<int64_t>(args.real("cpus", 0) * 1e9);
  o.pids_limit = args.integer("pids-limit", 0);
  o.runtime = args.value("runtime");
  for (const std::string& spec : args.values("publish")) {
    PortMapping m = parse_port_mapping(spec);
    choose_host_port(&m);
    add_port_binding(&o.port_bindings, m);
  }
  o.publish_all = args.flag("publish-all");
  o.labels = args.values("label");
  o.tty = args.flag("tty");
  o.init = args.flag("init");
  o.open_stdin = args.flag("interactive");
  for (const std::string& v : args.values("volume")) o.mounts.push_back(parse_volume_flag(v));
  for (const std::string& m : args.values("mount")) o.mounts.push_back(parse_mount_flag(m));
  for (const std::string& t : args.values("tmpfs")) o.mounts.push_back(parse_tmpfs_flag(t));
  return o;
}

// The image to run: in the store, or pulled (Docker's --pull=missing|always|never).
Digest image_for_run(Context& ctx, const std::string& name, const std::string& policy, const Args& args) {
  if (policy != "missing" && policy != "always" && policy != "never")
    throw UsageError("invalid pull option: '" + policy + "': must be one of \"always\", \"missing\" or \"never\"");
  return image_or_pull(ctx, name, policy, pull_options(args), std::cerr);  // stdout is the container's
}

int run_or_create(Context& ctx, const Args& args, bool start) {
  if (args.positional().empty())
    throw UsageError(std::string("\"berth ") + (start ? "run" : "create") + "\" requires at least 1 argument.");
  bool tty = args.flag("tty"), interactive = args.flag("interactive");
  if (tty && interactive && !args.flag("detach") && !::isatty(0)) throw Error("the input device is not a TTY");
  ContainerOptions o;
  ContainerRecord c;
  try {
    o = options_from(args);
    validate_container_options(o);
    Digest image = image_for_run(ctx, o.image, args.value("pull", "missing"), args);
    c = create_container(ctx.store(), image, o);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw RunError(125, e.what());
  }
  if (!start) {
    std::cout << c.id << "\n";
    return 0;
  }
  bool detach = args.flag("detach");
  MonitorWiring wiring;
  wiring.attached = !detach;
  wiring.keep_stdin = interactive && !tty;
  wiring.attach_terminal = tty && !detach;
  MonitorLaunch launch;
  try {
    launch = launch_monitor(ctx.root(), c.id, wiring);
  } catch (const ContainerStartError& e) {
    // berth's own failures (a port in use, …) leave nothing behind; a command
    // that cannot run leaves the container created, as Docker does (unless --rm).
    if (o.auto_remove || e.exit_code == 125) remove_container(ctx.store(), c);
    throw RunError(e.exit_code, e.what());
  }
  if (detach) {
    std::cout << c.id << "\n";
    return 0;
  }
  return attach_started(ctx, c, launch, tty, interactive);
}

int run_guarded(Context& ctx, const Args& args, bool start) {
  try {
    return run_or_create(ctx, args, start);
  } catch (const RunError& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return e.code;
  }
}

int run(Context& ctx, const Args& args) { return run_guarded(ctx, args, true); }
int create(Context& ctx, const Args& args) { return run_guarded(ctx, args, false); }

const std::vector<FlagSpec> kRunFlags = {
    {'d', "detach", false},     {0, "rm", false},           {0, "name", true},        {'e', "env", true},
    {0, "env-file", true},      {'w', "workdir", true},     {'u', "user", true},      {0, "entrypoint", true},
    {0, "network", true},       {'h', "hostname", true},    {'p', "publish", true},   {'P', "publish-all", false},
    {0, "privileged", false},   {0, "cap-add", true},       {0, "cap-drop", true},    {0, "security-opt", true},    {0, "read-only", false},
    {'m', "memory", true},      {0, "cpus", true},          {0, "pids-limit", true},  {0, "runtime", true},
    {0, "stop-signal", true},   {0, "pull", true},          {0, "platform", true},    {'i', "interactive", false},
    {'t', "tty", false},        {'v', "volume", true},      {0, "mount", true},       {0, "tmpfs", true},
    {0, "init", false},         {'l', "label", true},       {0, "net", true},         {0, "network-alias", true},
    {0, "net-alias", true},     {0, "ip", true},            {0, "mac-address", true}, {0, "dns", true},
    {0, "dns-search", true},    {0, "dns-option", true},    {0, "add-host", true}};

}  // namespace

const Command kRunCommand = {"run", "berth run [OPTIONS] IMAGE [COMMAND] [ARG...]",
                             "Run a command in a new container", kRunFlags, run, /*stop_at_positional=*/true};
const Command kCreateCommand = {"create", "berth create [OPTIONS] IMAGE [COMMAND] [ARG...]",
                                "Create a new container", kRunFlags, create, true};

}  // namespace berth
