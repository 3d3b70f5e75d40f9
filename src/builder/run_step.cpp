#include "builder/run_step.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "runtime/oci_runtime.h"
#include "runtime/container_user.h"
#include "runtime/network_namespace.h"
#include "runtime/runtime_spec.h"

extern char** environ;

namespace berth {

namespace {
constexpr const char* kStepPrefix = "berth-build-";  // the runtime IDs of RUN steps
}  // namespace

int run_build_step(Store& store, const RunStep& step) {
  StagingDir bundle = store.make_staging_dir("build-run");
  std::string id = kStepPrefix + (step.id.empty() ? random_hex(12) : step.id);
  RuntimeSpecInputs in;
  in.id = id;
  in.hostname = id.substr(12);
  in.args = step.args;
  in.env = step.env;
  ContainerUser user = resolve_container_user(step.rootfs, step.user);
  in.uid = user.uid;
  in.gid = user.gid;
  in.additional_gids = user.groups;
  bool has_home = false;
  for (const std::string& e : in.env) has_home |= e.starts_with("HOME=");
  if (!has_home) in.env.push_back("HOME=" + user.home);
  in.cwd = step.workdir.empty() ? "/" : step.workdir;
  in.rootfs = step.rootfs;
  bool own_network = step.network == "none";
  if (own_network) {
    in.netns = bundle.path() / "netns";
    create_network_namespace(in.netns);
  }
  write_file_atomic(bundle.path() / "hostname", in.hostname + "\n");
  write_file_atomic(bundle.path() / "hosts", own_network ? "127.0.0.1\tlocalhost\n::1\tlocalhost\n" : read_file("/etc/hosts"));
  std::error_code ec;
  write_file_atomic(bundle.path() / "resolv.conf",
                    std::filesystem::exists("/etc/resolv.conf", ec) ? read_file("/etc/resolv.conf") : "");
  in.hosts = bundle.path() / "hosts";
  in.hostname_file = bundle.path() / "hostname";
  in.resolv_conf = bundle.path() / "resolv.conf";
  in.extra_mounts = step.mounts;
  write_file_atomic(bundle.path() / "config.json", make_runtime_spec(in).dump(2), 0600);

  std::string runtime = OciRuntime::default_binary(), log = (bundle.path() / "runtime.log").string();
  std::vector<std::string> argv = {runtime, "--root", (store.root() / "runtime").string(), "--log", log,
                                   "--log-format", "json", "run", "--bundle", bundle.path().string(), id};
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  // The output goes through a pipe that we relay: the step never writes to
  // the build's own stdout, so a reader that went away (`| head`) cannot fail it.
  UniqueFd relay_in, relay_out;
  if (!step.quiet) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) throw_errno("pipe");
    relay_in = UniqueFd(p[0]);
    relay_out = UniqueFd(p[1]);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);  // a build step reads no input
  if (step.quiet) {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&fa, relay_out.get(), 1);
    posix_spawn_file_actions_adddup2(&fa, relay_out.get(), 2);
  }
  // The step's processes get SIGPIPE as a shell would give it (build ignores it).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t pipe_default;
  sigemptyset(&pipe_default);
  sigaddset(&pipe_default, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &pipe_default);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, runtime.c_str(), &fa, &attr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  relay_out = UniqueFd();
  if (rc != 0) throw Error("cannot run the OCI runtime " + runtime + ": " + std::strerror(rc));
  if (relay_in.get() >= 0) {
    int to = step.output_fd >= 0 ? step.output_fd : 1;
    bool writing = true;  // until the reader is gone: then only drained
    char buf[65536];
    for (ssize_t n; (n = ::read(relay_in.get(), buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      try {
        if (writing) write_all(to, buf, static_cast<size_t>(n), "the step's output");
      } catch (const Error&) {
        writing = false;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (own_network) remove_network_namespace(in.netns);
  std::string error = runtime_log_error(log);
  if (!error.empty()) throw Error("OCI runtime run failed: " + error);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> remove_leftover_build_steps(Store& store) {
  std::vector<std::string> removed;
  std::filesystem::path state = store.root() / "runtime";
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(state, ec); !ec && it != std::filesystem::end(it); it.increment(ec)) {
    std::string id = it->path().filename().string();
    if (!id.starts_with(kStepPrefix)) continue;
    run_process({OciRuntime::default_binary(), "--root", state.string(), "delete", "--force", id}, "");
    removed.push_back(id);
  }
  return removed;
}

}  // namespace berth
