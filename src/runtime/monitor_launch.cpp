#include "runtime/monitor_launch.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fs.h"
#include "core/number.h"
#include "core/subprocess.h"
#include "runtime/attach_socket.h"

namespace berth {

void report_to_launcher(int fd, const std::string& line) {
  if (fd < 0) return;
  std::string l = line + "\n";
  (void)!::write(fd, l.data(), l.size());  // the reader may be gone (detached run): nothing to do
}

MonitorLaunch launch_monitor(const std::filesystem::path& root, const std::string& id, const MonitorWiring& wiring) {
  Pipe report;
  UniqueFd& r = report.read;
  UniqueFd& w = report.write;
  pid_t child = ::fork();
  if (child < 0) throw_errno("fork");
  if (child == 0) {
    // Detached: a new session, and a grandchild so no berth command is its parent.
    ::setsid();
    if (::fork() != 0) _exit(0);
    int null = ::open("/dev/null", O_RDWR);
    if (wiring.stdin_fd >= 0) ::dup2(wiring.stdin_fd, 0);
    else if (!wiring.keep_stdin) ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::dup2(w.get(), 3);  // without O_CLOEXEC
    std::string root_s = root.string();
    const char* argv[] = {"berth", "--root", root_s.c_str(), "container-monitor", id.c_str(), "3",
                          wiring.attach_terminal ? "attach-first" : nullptr, nullptr};
    ::execv("/proc/self/exe", const_cast<char**>(argv));
    _exit(127);
  }
  int status;
  ::waitpid(child, &status, 0);
  w = UniqueFd();
  auto read_line = [&] {
    std::string line;
    char c;
    while (::read(r.get(), &c, 1) == 1 && c != '\n') line += c;
    return line;
  };
  std::string line = read_line();
  MonitorLaunch m;
  if (line == "attach") {  // the container waits for us to connect to its terminal
    try {
      m.attach_fd = connect_attach(root / "containers" / id).release();  // ContainerPaths::dir
    } catch (const Error&) {
      // The monitor gives up waiting and reports the error.
    }
    line = read_line();
  }
  if (line == "started") {
    m.keep_pipe = wiring.attached;
    if (wiring.attached) m.pipe_fd = r.release();
    return m;
  }
  if (m.attach_fd >= 0) ::close(m.attach_fd);
  if (line.starts_with("error ")) {
    size_t sp = line.find(' ', 6);
    int code = static_cast<int>(try_parse_int(line.substr(6, sp - 6)).value_or(125));
    throw ContainerStartError(code, line.substr(sp + 1));
  }
  throw ContainerStartError(125, "the container monitor exited before the container started");
}


}  // namespace berth
