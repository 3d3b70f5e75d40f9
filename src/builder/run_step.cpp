#include "builder/run_step.h"

#include <unistd.h>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "network/network_namespace.h"
#include "runtime/container_paths.h"
#include "runtime/container_user.h"
#include "runtime/etc_files.h"
#include "runtime/oci_runtime.h"
#include "runtime/runtime_spec.h"

namespace berth {

namespace {

constexpr const char* kStepPrefix = "berth-build-";  // the runtime IDs of RUN steps

OciRuntime step_runtime(const Store& store) {
  return OciRuntime(OciRuntime::default_binary(), runtime_state_dir(store.root()));
}

RuntimeSpecInputs spec_inputs(const RunStep& step, const std::string& id) {
  RuntimeSpecInputs in;
  in.id = id;
  in.hostname = id.substr(12);
  in.args = step.args;
  in.env = step.env;
  ContainerUser user = resolve_container_user(step.rootfs, step.user);
  in.uid = user.uid;
  in.gid = user.gid;
  in.additional_gids = build_step_supplementary_groups(user);
  bool has_home = false;
  for (const std::string& e : in.env) has_home |= e.starts_with("HOME=");
  if (!has_home) in.env.push_back("HOME=" + user.home);
  in.cwd = step.workdir.empty() ? "/" : step.workdir;
  in.rootfs = step.rootfs;
  in.extra_mounts = step.mounts;
  return in;
}

// Copies the step's output to `to` until it ends. A reader that went away
// (`| head`) does not fail the step: its output is then only drained.
void relay_output(int from, int to) {
  bool writing = true;
  char buf[65536];
  for (ssize_t n; (n = ::read(from, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    try {
      if (writing) write_all(to, buf, static_cast<size_t>(n), "the step's output");
    } catch (const Error&) {
      writing = false;
    }
  }
}

}  // namespace

int run_build_step(Store& store, const RunStep& step) {
  StagingDir bundle = store.make_staging_dir("build-run");
  std::string id = kStepPrefix + (step.id.empty() ? random_hex(12) : step.id);
  RuntimeSpecInputs in = spec_inputs(step, id);
  bool own_network = step.network == "none";
  if (own_network) {
    in.netns = bundle.path() / "netns";
    create_network_namespace(in.netns);
  }
  EtcSettings settings;
  settings.hostname = in.hostname;
  settings.host_network = !own_network;
  settings.minimal_hosts = true;
  EtcFiles etc = write_etc_files(bundle.path(), settings);
  in.hosts = etc.hosts;
  in.hostname_file = etc.hostname;
  in.resolv_conf = etc.resolv_conf;
  write_file_atomic(bundle.path() / "config.json", make_runtime_spec(in).dump(2), 0600, Flush::when_full);

  OciRuntime runtime = step_runtime(store);
  std::filesystem::path log = bundle.path() / "runtime.log";
  // The output goes through a pipe that we relay: the step never writes to
  // the build's own stdout. Its processes get SIGPIPE as a shell would give
  // it (build ignores it). A build step reads no input.
  std::optional<Pipe> relay;
  SpawnOptions stdio;
  stdio.sigpipe_default = true;
  if (!step.quiet) {
    relay.emplace();
    stdio.stdout_fd = stdio.stderr_fd = relay->write.get();
  }
  pid_t pid = runtime.spawn(runtime.run_argv(id, bundle.path(), log), stdio);
  if (relay) {
    relay->write = UniqueFd();
    relay_output(relay->read.get(), step.output_fd >= 0 ? step.output_fd : 1);
  }
  int code = wait_for_exit(pid);
  if (own_network) remove_network_namespace(in.netns);
  OciRuntime::check_log(log, "run");
  return code;
}

std::vector<std::string> remove_leftover_build_steps(Store& store) {
  OciRuntime runtime = step_runtime(store);
  std::vector<std::string> removed;
  for (const std::string& id : runtime.list_state()) {
    if (!id.starts_with(kStepPrefix)) continue;
    runtime.remove(id);
    removed.push_back(id);
  }
  return removed;
}

}  // namespace berth
