#include "runtime/oci_runtime.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "core/fs.h"
#include "core/image_config.h"

namespace berth {
namespace {

// What the runtime printed, as one line: its last.
std::string last_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (size_t nl = s.rfind('\n'); nl != std::string::npos) s = s.substr(nl + 1);
  for (char& c : s)
    if (c == '\r') c = ' ';
  return s;
}

}  // namespace

StartFailure classify_start_failure(const std::string& runtime_error) {
  if (runtime_error.find("executable file not found") != std::string::npos ||
      runtime_error.find("no such file or directory") != std::string::npos)
    return StartFailure::not_found;
  if (runtime_error.find("permission denied") != std::string::npos) return StartFailure::not_executable;
  return StartFailure::other;
}

int start_failure_exit_code(StartFailure failure) {
  switch (failure) {
    case StartFailure::not_found: return 127;
    case StartFailure::not_executable: return 126;
    case StartFailure::other: break;
  }
  return 125;
}

std::string runtime_log_error(const std::filesystem::path& log) {
  std::error_code ec;
  if (!std::filesystem::exists(log, ec)) return "";
  std::string msg;
  std::istringstream lines(read_file(log));
  for (std::string l; std::getline(lines, l);) {
    Json j = Json::parse(l, nullptr, false);
    if (j.is_object() && j.value("level", "") == "error") msg = j.value("msg", "");
  }
  return msg;
}

OciRuntime::OciRuntime(std::string binary, std::filesystem::path state_root)
    : binary_(binary.empty() ? default_binary() : std::move(binary)), state_root_(std::move(state_root)) {}

std::string OciRuntime::default_binary() {
  if (const char* r = std::getenv("BERTH_RUNTIME"); r && *r) return r;
  for (const char* name : {"runc", "crun"})
    if (std::string path = find_in_path(name); !path.empty()) return path;
  return "runc";
}

std::vector<std::string> OciRuntime::global(const std::optional<std::filesystem::path>& log) const {
  std::vector<std::string> argv = {binary_, "--root", state_root_.string()};
  if (log) argv.insert(argv.end(), {"--log", log->string(), "--log-format", "json"});
  return argv;
}

std::vector<std::string> OciRuntime::create_argv(const RuntimeCreate& c) const {
  std::vector<std::string> argv = global(c.log);
  argv.insert(argv.end(), {"create", "--bundle", c.bundle.string(), "--pid-file", c.pid_file.string()});
  if (c.console_socket) argv.insert(argv.end(), {"--console-socket", *c.console_socket});
  argv.push_back(c.id);
  return argv;
}

std::vector<std::string> OciRuntime::start_argv(const std::string& id) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.insert(argv.end(), {"start", id});
  return argv;
}

std::vector<std::string> OciRuntime::run_argv(const std::string& id, const std::filesystem::path& bundle,
                                              const std::filesystem::path& log) const {
  std::vector<std::string> argv = global(log);
  argv.insert(argv.end(), {"run", "--bundle", bundle.string(), id});
  return argv;
}

std::vector<std::string> OciRuntime::exec_argv(const RuntimeExec& e) const {
  std::vector<std::string> argv = global(e.log);
  argv.insert(argv.end(), {"exec", "--process", e.process_spec.string()});
  if (e.detach) argv.push_back("--detach");
  if (e.tty) argv.push_back("--tty");
  argv.push_back(e.id);
  return argv;
}

std::vector<std::string> OciRuntime::ps_argv(const std::string& id) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.insert(argv.end(), {"ps", "--format", "json", id});
  return argv;
}

std::vector<std::string> OciRuntime::kill_argv(const std::string& id, int signal, bool all) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.push_back("kill");
  if (all) argv.push_back("--all");
  argv.insert(argv.end(), {id, std::to_string(signal)});
  return argv;
}

std::vector<std::string> OciRuntime::delete_argv(const std::string& id, bool force) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.push_back("delete");
  if (force) argv.push_back("--force");
  argv.push_back(id);
  return argv;
}

std::vector<std::string> OciRuntime::state_argv(const std::string& id) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.insert(argv.end(), {"state", id});
  return argv;
}

std::vector<std::string> OciRuntime::pause_argv(const std::string& id) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.insert(argv.end(), {"pause", id});
  return argv;
}

std::vector<std::string> OciRuntime::resume_argv(const std::string& id) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.insert(argv.end(), {"resume", id});
  return argv;
}

std::vector<std::string> OciRuntime::update_argv(const std::string& id) const {
  std::vector<std::string> argv = global(std::nullopt);
  argv.insert(argv.end(), {"update", "-r", "-", id});
  return argv;
}

SpawnOptions OciRuntime::named(SpawnOptions options) const {
  options.what = "the OCI runtime " + binary_;
  return options;
}

pid_t OciRuntime::spawn(const std::vector<std::string>& argv, const SpawnOptions& options) const {
  return spawn_process(argv, named(options));
}

void OciRuntime::create(const RuntimeCreate& c, const SpawnOptions& stdio) const {
  std::error_code ec;
  std::filesystem::remove(c.log, ec);  // only this create's complaints
  if (wait_for_exit(spawn(create_argv(c), stdio)) == 0) return;
  std::string msg = runtime_log_error(c.log);
  if (msg.empty()) msg = "the runtime failed without saying why";
  throw RuntimeError("OCI runtime create failed: " + msg, classify_start_failure(msg));
}

void OciRuntime::start(const std::string& id) const {
  ProcessResult r = run_process(start_argv(id), "", /*merge_stderr=*/true);
  if (r.exit_code != 0) throw RuntimeError("OCI runtime start failed: " + last_line(r.output), StartFailure::other);
}

std::vector<pid_t> OciRuntime::ps(const std::string& id) const {
  ProcessResult r = run_process(ps_argv(id), "");
  Json list = Json::parse(r.output, nullptr, false);
  if (r.exit_code != 0 || !list.is_array()) throw Error("the OCI runtime cannot list the processes of " + id);
  std::vector<pid_t> pids;
  for (const Json& p : list)
    if (p.is_number_integer()) pids.push_back(p.get<pid_t>());
  return pids;
}

namespace {

// A short runtime command, waited for; its last line of output is the error.
void run_or_throw(const std::vector<std::string>& argv, const std::string& input, const std::string& what) {
  ProcessResult r = run_process(argv, input, /*merge_stderr=*/true);
  if (r.exit_code != 0) throw Error("OCI runtime " + what + " failed: " + last_line(r.output));
}

}  // namespace

void OciRuntime::pause(const std::string& id) const { run_or_throw(pause_argv(id), "", "pause"); }

void OciRuntime::resume(const std::string& id) const { run_or_throw(resume_argv(id), "", "resume"); }

void OciRuntime::update(const std::string& id, const Json& resources) const {
  run_or_throw(update_argv(id), resources.dump(), "update");
}

void OciRuntime::remove(const std::string& id) const {
  // The runtime may no longer know it: nothing to say then.
  run_process(delete_argv(id, true), "", /*merge_stderr=*/true);
}

std::vector<std::string> OciRuntime::list_state() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(state_root_, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec))
    ids.push_back(it->path().filename().string());
  return ids;
}

void OciRuntime::check_log(const std::filesystem::path& log, const std::string& what) {
  std::string error = runtime_log_error(log);
  if (!error.empty()) throw RuntimeError("OCI runtime " + what + " failed: " + error, classify_start_failure(error));
}

}  // namespace berth
