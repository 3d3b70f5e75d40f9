#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "core/fs.h"

extern char** environ;

namespace berth {

Pipe::Pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  read = UniqueFd(fds[0]);
  write = UniqueFd(fds[1]);
}

std::string find_in_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "/usr/sbin:/usr/bin:/sbin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate = path.substr(start, end - start) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input, bool merge_stderr) {
  Pipe in, out;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  if (merge_stderr) posix_spawn_file_actions_adddup2(&actions, out.write.get(), 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error("cannot run " + argv[0] + ": " + std::strerror(rc));
  in.read = UniqueFd();
  out.write = UniqueFd();

  // Feed stdin and drain stdout together, so neither side can block the other.
  ProcessResult result;
  size_t written = 0;
  if (input.empty()) in.write = UniqueFd();
  char buf[4096];
  while (out.read.get() >= 0) {
    pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {in.write.get(), POLLOUT, 0}};
    if (::poll(fds, in.write.get() >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll " + argv[0]);
    }
    if (fds[0].revents) {
      ssize_t n = ::read(out.read.get(), buf, sizeof buf);
      if (n > 0) result.output.append(buf, static_cast<size_t>(n));
      else if (n == 0 || errno != EINTR) out.read = UniqueFd();
    }
    if (in.write.get() >= 0 && fds[1].revents) {
      sigset_t pipe_set, old;  // a helper that exits early must not kill us with SIGPIPE
      sigemptyset(&pipe_set);
      sigaddset(&pipe_set, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
      ssize_t n = ::write(in.write.get(), input.data() + written, input.size() - written);
      struct timespec zero = {0, 0};
      sigtimedwait(&pipe_set, nullptr, &zero);  // drop a pending SIGPIPE
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno != EINTR) written = input.size();
      if (written == input.size()) in.write = UniqueFd();
    }
  }
  in.write = UniqueFd();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw_errno("wait for " + argv[0]);
  result.exit_code = exit_code_of(status);
  return result;
}

pid_t spawn_process(const std::vector<std::string>& argv, const SpawnOptions& options) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  int fds[3] = {options.stdin_fd, options.stdout_fd, options.stderr_fd};
  for (int target = 0; target < 3; ++target) {
    if (fds[target] >= 0) posix_spawn_file_actions_adddup2(&fa, fds[target], target);
    else posix_spawn_file_actions_addopen(&fa, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  short flags = 0;
  if (options.sigpipe_default) {
    sigset_t pipe_default;
    sigemptyset(&pipe_default);
    sigaddset(&pipe_default, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &pipe_default);
    flags |= POSIX_SPAWN_SETSIGDEF;
  }
  if (options.new_session) flags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&attr, flags);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw Error("cannot run " + (options.what.empty() ? argv[0] : options.what) + ": " + std::strerror(rc),
                      ErrorKind::unavailable);
  return pid;
}

int exit_code_of(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

int wait_for_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 255;
  return exit_code_of(status);
}

}  // namespace berth
