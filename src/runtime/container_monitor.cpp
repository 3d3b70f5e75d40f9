#include "runtime/container_monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <optional>

#include "core/error.h"
#include "core/fs.h"
#include "core/number.h"
#include "core/subprocess.h"
#include "core/timestamp.h"
#include "network/network_catalog.h"
#include "network/network_namespace.h"
#include "runtime/console_socket.h"
#include "runtime/container_create.h"
#include "runtime/container_dns.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_network.h"
#include "runtime/container_rootfs.h"
#include "runtime/container_spec.h"
#include "runtime/etc_files.h"
#include "runtime/fd_passing.h"
#include "runtime/monitor_launch.h"
#include "runtime/network_mode.h"
#include "runtime/oci_runtime.h"
#include "store/event_log.h"
#include "runtime/output_pump.h"
#include "runtime/port_proxy.h"
#include "runtime/volume_copy_up.h"

namespace berth {
namespace {

// What a started container leaves the monitor with: its init, the read ends
// of its output (pipes, or with -t the terminal's master end and the attach
// socket with its first client), and the proxy of its published ports.
struct RunningContainer {
  pid_t init = 0;
  UniqueFd out, err;
  UniqueFd master;
  std::unique_ptr<AttachListener> attach;
  std::vector<AttachClient> clients;
  std::unique_ptr<PortProxy> proxy;
  std::vector<AttachedEndpoint> endpoints;
  std::unique_ptr<DnsResolver> resolver;  // on a user-defined network
};

// The container's own network namespace with its endpoints wired in, and its
// published ports bound before it starts (a port in use fails the start).
// None on the host's network or another container's.
std::unique_ptr<PortProxy> set_up_network(Store& store, const ContainerRecord& c, const ContainerPaths& paths,
                                          std::vector<AttachedEndpoint>* endpoints) {
  NetworkMode mode = network_mode(c);
  if (mode.kind == NetworkMode::Kind::host) return nullptr;
  if (mode.kind == NetworkMode::Kind::container) {
    std::optional<ContainerRecord> other = store.containers().get(mode.container_id);
    if (!other || refresh_container(store, *other).state != "running")
      throw conflict("cannot join network of a non running container: " + mode.container_id);
    return nullptr;
  }
  remove_network_namespace(paths.netns());  // a stale pin from a monitor that was killed
  create_network_namespace(paths.netns());
  *endpoints = attach_container_networks(store, c, paths.netns());
  std::vector<PortMapping> ports = port_mappings(c.config["HostConfig"].value("PortBindings", Json::object()));
  return ports.empty() ? nullptr : std::make_unique<PortProxy>(ports, paths.netns());
}

std::vector<std::string> strings_of(const Json& list) {
  std::vector<std::string> out;
  if (list.is_array())
    for (const Json& v : list) out.push_back(v.get<std::string>());
  return out;
}

// What /etc/hosts and /etc/resolv.conf say: the first network's address, the
// --add-host lines (host-gateway is the default bridge's gateway, as Docker's),
// the DNS options, and the embedded resolver on a user-defined network.
EtcSettings etc_settings(Store& store, const ContainerRecord& c, const std::vector<AttachedEndpoint>& endpoints) {
  const Json& host = c.config["HostConfig"];
  EtcSettings s;
  s.hostname = c.config["Config"].value("Hostname", c.id.substr(0, 12));
  s.host_network = network_mode(c).kind == NetworkMode::Kind::host;
  if (!endpoints.empty()) s.address = endpoints[0].endpoint.ip;
  for (const AttachedEndpoint& e : endpoints) s.embedded_dns |= e.network.name != kDefaultBridgeNetwork;
  for (const std::string& entry : strings_of(host.value("ExtraHosts", Json()))) {
    size_t colon = entry.find(':');
    std::string address = entry.substr(colon + 1);
    if (address == "host-gateway") address = bridge_network(store.networks().find(kDefaultBridgeNetwork)).addresses.gateway.str();
    s.extra_hosts.emplace_back(entry.substr(0, colon), address);
  }
  s.dns = DnsSettings{strings_of(host.value("Dns", Json())), strings_of(host.value("DnsSearch", Json())),
                      strings_of(host.value("DnsOptions", Json()))};
  return s;
}

// -t: the terminal's master end from the runtime, and the attach socket; a
// launch that attaches first connects before the container starts.
void set_up_terminal(ConsoleSocket& console, const ContainerPaths& paths, int report_fd, bool wait_for_attach,
                     RunningContainer& r) {
  r.master = console.receive_master();
  r.attach = std::make_unique<AttachListener>(paths.dir);
  if (!wait_for_attach) return;
  report_to_launcher(report_fd, "attach");
  UniqueFd first = accept_client(r.attach->fd(), 10000);
  if (first.get() < 0) throw Error("no client attached to the container's terminal");
  r.clients.push_back(AttachClient{std::move(first), true});
  send_fd(r.clients.back().fd.get(), r.master.get());
}

pid_t read_init_pid(const std::filesystem::path& pid_file) {
  std::string text = read_file(pid_file);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return static_cast<pid_t>(parse_int(text, "pid file " + pid_file.string(), 1, INT32_MAX));
}

// Mounts, bundle, runtime create and start; the container runs when this returns.
// Throws ContainerStartError with run's exit code when the runtime could not start it.
void start_container(Store& store, const ContainerRecord& c, const ContainerPaths& paths, int report_fd,
                     bool wait_for_attach, RunningContainer& r) {
  bool tty = c.config["Config"].value("Tty", false);
  r.proxy = set_up_network(store, c, paths, &r.endpoints);
  EtcSettings etc = etc_settings(store, c, r.endpoints);
  write_etc_files(paths.dir, etc);
  if (etc.embedded_dns) r.resolver = make_container_resolver(store.root() / "berth.db", c.id, paths.netns(), etc.dns);
  mount_container_rootfs(store, c.layer_id);
  copy_up_volumes(store, c);
  std::string spec = make_runtime_spec(container_spec_inputs(store, c, paths)).dump(2);
  write_file_atomic(paths.spec(), spec, 0600, Flush::when_full);

  Pipe out, err;
  r.out = std::move(out.read);
  r.err = std::move(err.read);
  std::filesystem::remove(paths.init_pid_file());
  RuntimeCreate create{c.id, paths.bundle(), paths.init_pid_file(), paths.runtime_log(), std::nullopt};
  std::optional<ConsoleSocket> console;
  if (tty) create.console_socket = console.emplace().path();  // the runtime hands the master end to us
  // -i without -t: stdin is the one berth passed down (fd 0 of this process); otherwise /dev/null.
  bool pass_stdin = c.config["Config"].value("OpenStdin", false) && !tty;
  OciRuntime runtime = container_runtime(store, c);
  try {
    SpawnOptions stdio;
    stdio.stdin_fd = pass_stdin ? 0 : -1;
    stdio.stdout_fd = out.write.get();
    stdio.stderr_fd = err.write.get();
    runtime.create(create, stdio);
  } catch (const RuntimeError& e) {
    throw ContainerStartError(start_failure_exit_code(e.failure), e.what());
  }
  r.init = read_init_pid(paths.init_pid_file());
  if (tty) set_up_terminal(*console, paths, report_fd, wait_for_attach, r);
  try {
    runtime.start(c.id);
  } catch (const RuntimeError& e) {
    throw ContainerStartError(125, e.what());
  }
  store.containers().set_running(c.id, r.init, ::getpid(), now_unix_nanos());
  record_container_event(store.root(), c, "start");
}

}  // namespace

OciRuntime container_runtime(const Store& store, const ContainerRecord& c) {
  return OciRuntime(c.config["HostConfig"].value("Runtime", ""), runtime_state_dir(store.root()));
}

void release_container(Store& store, const ContainerRecord& c) {
  container_runtime(store, c).remove(c.id);
  try {
    unmount_container_rootfs(store, c.layer_id);
  } catch (...) {
    // Not mounted any more, or busy: `rm` reports what is in its way.
  }
  detach_container_networks(store, c.id);
  remove_network_namespace(ContainerPaths(store, c.id).netns());
}

int run_monitor(const std::filesystem::path& root, const std::string& id, int report_fd, bool wait_for_attach) {
  ::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // the container's init becomes our child when `create` exits
  std::unique_ptr<Store> store = std::make_unique<Store>(root);
  std::optional<ContainerRecord> rec = store->containers().get(id);
  if (!rec) {
    report_to_launcher(report_fd, "error 125 No such container: " + id);
    return 1;
  }
  const ContainerRecord c = *rec;
  const ContainerPaths paths(*store, id);
  RunningContainer r;
  try {
    start_container(*store, c, paths, report_fd, wait_for_attach, r);
  } catch (const std::exception& e) {
    auto* start = dynamic_cast<const ContainerStartError*>(&e);
    r.proxy.reset();
    r.resolver.reset();
    release_container(*store, c);
    report_to_launcher(report_fd, "error " + std::to_string(start ? start->exit_code : 125) + " " + e.what());
    return 1;
  }
  store.reset();  // no store lock held while the container runs
  // Opened before "started", so an attached `run` finds it.
  UniqueFd log = open_or_throw(paths.log(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (r.proxy) r.proxy->start();
  if (r.resolver) r.resolver->start();
  report_to_launcher(report_fd, "started");

  JsonLogWriter writer(log.get());
  int exit_code = r.master.get() >= 0
                      ? copy_terminal_output(r.master.get(), *r.attach, r.clients,
                                             c.config["Config"].value("OpenStdin", false), writer, r.init)
                      : copy_pipe_output(r.out.get(), r.err.get(), writer, r.init);
  r.clients.clear();  // their output is over
  writer.flush();
  r.proxy.reset();
  r.resolver.reset();

  store = std::make_unique<Store>(root);
  // Cleaned up before it is recorded as exited: whoever waits for the exit
  // (stop, rm -f, wait) then finds no mount and no namespace in the way.
  release_container(*store, c);
  store->containers().set_exited(id, exit_code, now_unix_nanos());
  record_container_event(root, c, "die", Json{{"exitCode", std::to_string(exit_code)}});
  // --rm: gone (with its anonymous volumes) before an attached `run` returns.
  if (c.config["HostConfig"].value("AutoRemove", false)) remove_container(*store, c, /*volumes=*/true);
  report_to_launcher(report_fd, "exit " + std::to_string(exit_code));
  return 0;
}

}  // namespace berth
