#include "runtime/container_lifecycle.h"

#include <signal.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "core/number.h"
#include "runtime/container_monitor.h"
#include "runtime/container_pause.h"
#include "store/event_log.h"

namespace berth {

bool process_alive(int pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  // A zombie is dead: nobody may reap it soon (its monitor, the subreaper, is gone).
  std::string stat;
  try {
    stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const Error&) {
    return false;
  }
  size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}

ContainerRecord refresh_container(Store& store, const ContainerRecord& c) {
  if (c.state != "running" || process_alive(c.pid) || process_alive(c.monitor_pid)) return c;
  // Both gone without a word: the monitor was killed, then the container ended.
  // Cleaned up before it is recorded as exited, as the monitor does.
  release_container(store, c);
  store.containers().set_exited(c.id, 255, now_unix_nanos());
  record_container_event(store.root(), c, "die", Json{{"exitCode", "255"}});
  return *store.containers().get(c.id);
}

ContainerRecord running_container(Store& store, const std::string& ref) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state != "running") throw conflict("Container " + c.id + " is not running");
  return c;
}

bool wait_until_stopped(Store& store, const std::string& id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::optional<ContainerRecord> c = store.containers().get(id);
    if (!c || refresh_container(store, *c).state != "running") return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int parse_signal(const std::string& name) {
  static const std::pair<const char*, int> kSignals[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
      {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
      {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
      {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
      {"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"WINCH", SIGWINCH}};
  std::string n = name;
  for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (n.starts_with("SIG")) n = n.substr(3);
  if (!n.empty() && std::all_of(n.begin(), n.end(), ::isdigit)) {
    int64_t v = try_parse_int(n).value_or(0);
    if (v > 0 && v < 65) return static_cast<int>(v);
  }
  for (const auto& [s, v] : kSignals)
    if (n == s) return v;
  throw Error("Invalid signal: " + name);
}

void signal_container(const ContainerRecord& c, int sig) {
  if (c.state != "running" || !process_alive(c.pid))
    throw conflict("Cannot kill container: " + c.name + ": Container " + c.id + " is not running");
  if (::kill(c.pid, sig) != 0) throw_errno("signal container " + c.name);
}

void stop_container(Store& store, const std::string& ref, int timeout_s) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state != "running") return;
  std::string sig = c.config["Config"].value("StopSignal", "SIGTERM");
  try {
    signal_container(c, parse_signal(sig));
    thaw_for_signal(store, c, parse_signal(sig));
    record_container_event(store.root(), c, "kill", Json{{"signal", std::to_string(parse_signal(sig))}});
  } catch (const Error&) {
    return;  // it ended meanwhile
  }
  if (!wait_until_stopped(store, c.id, std::chrono::seconds(timeout_s))) {
    try {
      signal_container(c, SIGKILL);
      if (std::optional<ContainerRecord> now = store.containers().get(c.id)) thaw_for_signal(store, *now, SIGKILL);
      record_container_event(store.root(), c, "kill", Json{{"signal", "9"}});
    } catch (const Error&) {
    }
    if (!wait_until_stopped(store, c.id, std::chrono::seconds(10)))
      throw Error("container " + c.name + " did not stop after SIGKILL");
  }
  record_container_event(store.root(), c, "stop");
}

}  // namespace berth
