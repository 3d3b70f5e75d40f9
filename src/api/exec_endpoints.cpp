#include "api/exec_endpoints.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "api/api_params.h"
#include "api/body_members.h"
#include "api/stdcopy.h"
#include "api/terminal_relay.h"
#include "core/error.h"
#include "core/fs.h"
#include "engine/container_exec.h"
#include "runtime/container_lifecycle.h"

namespace berth {

namespace {

Reply create(const ServiceState& state, const ApiRequest& request) {
  Json body = json_body(request);
  Store store(state.root);
  ContainerRecord c = exec_target(store, request.params.at("id"));
  if (body_bool(body, "Privileged")) throw invalid_argument("exec with Privileged is not supported by berth");
  ExecSession s;
  s.container_id = c.id;
  s.options.args = body_strings(body, "Cmd");
  if (s.options.args.empty()) throw invalid_argument("No exec command specified");
  s.options.env = body_strings(body, "Env");
  s.options.user = body_string(body, "User");
  s.options.workdir = body_string(body, "WorkingDir");
  s.options.tty = body_bool(body, "Tty");
  s.options.interactive = body_bool(body, "AttachStdin");
  s.attach_stdout = body_bool(body, "AttachStdout");
  s.attach_stderr = body_bool(body, "AttachStderr");
  return json_response(201, Json{{"Id", state.execs->add(s)}});
}

// Copies the process's stdout and stderr pipes into the connection as stdcopy
// frames until both end.
void pump_frames(int out_fd, int err_fd, ResponseStream& to) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  char buf[32768];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        fds[i].fd = -1;
        continue;
      }
      try {
        to.write(stdcopy_frame(i == 0 ? StdStream::out : StdStream::err, std::string_view(buf, static_cast<size_t>(n))));
      } catch (const Error&) {
        // the client went away: keep draining so the process is never blocked
      }
    }
  }
}

// Runs the session's process wired to the connection; returns its exit code.
int run_attached(const ServiceState& state, const ExecSession& s, ResponseStream& out) {
  Store store(state.root);
  ExecOptions o = s.options;
  o.stdin_fd = out.fd();
  if (o.tty) {
    bool with_stdin = o.interactive;
    AttachedTerminals& terminals = *state.terminals;
    o.terminal = [&out, &terminals, with_stdin, id = s.id](UniqueFd master) {
      UniqueFd for_resize(::fcntl(master.get(), F_DUPFD_CLOEXEC, 0));
      terminals.add(id, std::move(for_resize));
      AttachedTerminals::Detach detach(terminals, id);
      relay_terminal(master.get(), with_stdin, out, WhenClientGoes::drain);
    };
    return exec_in_container(store, s.container_id, o);
  }
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd err_read(err_pipe[0]), err_write(err_pipe[1]);
  o.stdout_fd = s.attach_stdout ? out_write.get() : -1;  // -1: /dev/null
  o.stderr_fd = s.attach_stderr ? err_write.get() : -1;
  std::thread pump([&] { pump_frames(out_read.get(), err_read.get(), out); });
  int code = 255;
  try {
    code = exec_in_container(store, s.container_id, o);
  } catch (...) {
    out_write = UniqueFd();
    err_write = UniqueFd();
    pump.join();
    throw;
  }
  out_write = UniqueFd();
  err_write = UniqueFd();
  pump.join();
  return code;
}

Reply start(const ServiceState& state, const ApiRequest& request) {
  Json body = json_body(request);
  ExecSession s = state.execs->start(request.params.at("id"));
  std::shared_ptr<ExecSessions> execs = state.execs;
  if (body_bool(body, "Detach")) {
    // Its output goes nowhere, as Docker's; the exit code is kept for /json.
    std::thread([state, s, execs] {
      std::optional<int> code;
      try {
        Store store(state.root);
        ExecOptions o = s.options;
        o.interactive = false;
        o.stdout_fd = o.stderr_fd = -1;
        code = exec_in_container(store, s.container_id, o);
      } catch (const std::exception&) {
      }
      execs->finish(s.id, code);
    }).detach();
    return json_response(200, std::string());
  }
  Reply r = hijacked_reply(request.http);
  r.stream = [state, s, execs](ResponseStream& out) {
    out.start();
    std::optional<int> code;
    try {
      code = run_attached(state, s, out);
      state.terminals->remove(s.id);  // a size sent for a terminal that never came
    } catch (const std::exception& e) {
      state.terminals->remove(s.id);
      execs->finish(s.id, 126);
      out.write(s.options.tty ? std::string(e.what()) + "\r\n" : stdcopy_frame(StdStream::err, std::string(e.what()) + "\n"));
      ::shutdown(out.fd(), SHUT_WR);
      return;
    }
    // Recorded before the stream ends: the client asks for the exit code next.
    execs->finish(s.id, code);
    ::shutdown(out.fd(), SHUT_WR);
  };
  return r;
}

Reply inspect(const ServiceState& state, const ApiRequest& request) {
  ExecSession s = state.execs->get(request.params.at("id"));
  Json process = {{"tty", s.options.tty}, {"entrypoint", s.options.args.front()},
                  {"arguments", Json(std::vector<std::string>(s.options.args.begin() + 1, s.options.args.end()))},
                  {"privileged", false}, {"user", s.options.user}};
  return json_response(200, Json{{"CanRemove", false}, {"ContainerID", s.container_id}, {"DetachKeys", ""},
                                 {"ExitCode", s.exit_code ? Json(*s.exit_code) : Json(nullptr)}, {"ID", s.id},
                                 {"OpenStderr", s.attach_stderr}, {"OpenStdin", s.options.interactive},
                                 {"OpenStdout", s.attach_stdout}, {"ProcessConfig", process},
                                 {"Running", s.running}, {"Pid", 0}});
}

// The exec's terminal is the service's own pty: sized now, or as soon as the
// runtime has started the process on it (the CLI sends the size right after
// the start). An exec without a terminal keeps none to size, as in moby.
Reply resize(const ServiceState& state, const ApiRequest& request) {
  ExecSession s = state.execs->get(request.params.at("id"));
  if (s.options.tty && s.running)
    state.terminals->resize(s.id, static_cast<int>(query_int(request, "h", 0)), static_cast<int>(query_int(request, "w", 0)));
  return json_response(200, std::string());
}

}  // namespace

void add_exec_endpoints(ApiRouter& router, const ServiceState& state) {
  router.add("POST", "/containers/{id}/exec", [state](const ApiRequest& r) { return create(state, r); });
  router.add("POST", "/exec/{id}/start", [state](const ApiRequest& r) { return start(state, r); });
  router.add("GET", "/exec/{id}/json", [state](const ApiRequest& r) { return inspect(state, r); });
  router.add("POST", "/exec/{id}/resize", [state](const ApiRequest& r) { return resize(state, r); });
}

}  // namespace berth
