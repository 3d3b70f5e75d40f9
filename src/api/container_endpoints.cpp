#include "api/container_endpoints.h"

#include <sys/socket.h>

#include <cmath>
#include <thread>

#include "api/api_params.h"
#include "api/body_members.h"
#include "api/container_config.h"
#include "api/stdcopy.h"
#include "api/summaries.h"
#include "api/terminal_relay.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "core/timestamp.h"
#include "engine/container_changes.h"
#include "engine/container_list.h"
#include "engine/container_logs.h"
#include "engine/containers.h"
#include "runtime/attach_socket.h"
#include "runtime/container_inspect.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_paths.h"
#include "runtime/fd_passing.h"
#include "runtime/container_pause.h"
#include "runtime/container_update.h"
#include "runtime/monitor_launch.h"
#include "runtime/port_mapping.h"

namespace berth {

namespace {

using Root = std::filesystem::path;

Reply list(const Root& root, const ApiRequest& request) {
  Store store(root);
  Json out = Json::array();
  int64_t limit = query_int(request, "limit", -1);
  bool all = query_bool(request, "all") || limit > 0;
  for (const ContainerRecord& c : list_containers(store, all, filter_specs(request))) {
    if (limit > 0 && out.size() >= static_cast<size_t>(limit)) break;
    out.push_back(container_summary(store, c));
  }
  return json_response(200, out);
}

ContainerRecord find(Store& store, const ApiRequest& request) {
  return refresh_container(store, store.containers().find(request.params.at("id")));
}

Reply inspect(const Root& root, const ApiRequest& request) {
  Store store(root);
  return json_response(200, inspect_container(store, find(store, request)));
}

Reply create(const Root& root, const ApiRequest& request) {
  Store store(root);
  ContainerOptions options = container_options_from_request(json_body(request), query_string(request, "name"));
  validate_container_options(options);
  std::optional<Digest> image = store.images().try_resolve(options.image);
  if (!image) throw not_found("No such image: " + options.image);
  ContainerRecord c = create_container(store, *image, options);
  return json_response(201, Json{{"Id", c.id}, {"Warnings", Json::array()}});
}

// With an attach connection waiting (docker run -i[t]): the container reads
// what that connection sends, through a pipe or its terminal.
Reply start(const Root& root, AttachedStdins& stdins, AttachedTerminals& terminals, const ApiRequest& request) {
  Store store(root);
  std::string id = store.containers().find(request.params.at("id")).id;
  AttachedStdins::Waiting waiting = stdins.take(id);
  MonitorWiring wiring{.attach_terminal = waiting.terminal.has_value(), .stdin_fd = waiting.pipe.get()};
  try {
    std::optional<MonitorLaunch> launched = start_container(store, request.params.at("id"), wiring);
    if (waiting.terminal) {
      // The terminal's master end (the monitor sends it first) is kept before
      // the reply: the client sends its size right after it.
      UniqueFd attach(launched ? launched->attach_fd : -1);
      if (attach.get() >= 0) terminals.add(id, receive_fd(attach.get(), "the container's terminal", 1));
      waiting.terminal->set_value(std::move(attach));
    }
    return no_content(launched ? 204 : 304);
  } catch (const ContainerStartError& e) {
    if (waiting.terminal) waiting.terminal->set_value(UniqueFd());
    throw Error(e.what());  // 500, as dockerd answers a command that cannot run
  }
}

Reply stop(const Root& root, const ApiRequest& request) {
  Store store(root);
  if (find(store, request).state != "running") return no_content(304);
  stop_container(store, request.params.at("id"), static_cast<int>(query_int(request, "t", 10)));
  return no_content();
}

Reply restart(const Root& root, const ApiRequest& request) {
  Store store(root);
  restart_container(store, find(store, request).id, static_cast<int>(query_int(request, "t", 10)));
  return no_content();
}

Reply kill(const Root& root, const ApiRequest& request) {
  Store store(root);
  ContainerRecord c = find(store, request);
  if (c.state != "running")
    throw conflict("Cannot kill container: " + request.params.at("id") + ": Container " + c.id + " is not running");
  kill_container(store, c.id, parse_signal(query_string(request, "signal", "KILL")));
  return no_content();
}

// The headers go out at once (clients start the container after them); the
// body when it exits.
Reply wait(const Root& root, const ApiRequest& request) {
  std::string text = query_string(request, "condition", "not-running");
  WaitCondition condition = text == "next-exit" ? WaitCondition::next_exit
                            : text == "removed" ? WaitCondition::removed
                            : text == "not-running" || text.empty()
                                ? WaitCondition::not_running
                                : throw invalid_argument("invalid condition: \"" + text + "\"");
  std::string id = Store(root).containers().find(request.params.at("id")).id;
  Reply r = json_response(200, std::string());
  r.stream = [root, id, condition](ResponseStream& out) {
    out.start();
    Store store(root);
    std::optional<int> code = wait_container(store, id, condition, [&] { return out.peer_closed(); });
    if (code) out.write(Json{{"Error", nullptr}, {"StatusCode", *code}}.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
  };
  return r;
}

Reply remove(const Root& root, const ApiRequest& request) {
  Store store(root);
  delete_container(store, request.params.at("id"), query_bool(request, "force"), query_bool(request, "v"));
  return no_content();
}

// A log entry as the client reads it: in a stdcopy frame, or raw for a
// container with a TTY.
std::string framed(const LogEntry& e, bool tty, bool timestamps) {
  std::string payload = timestamps ? e.time + " " + e.log : e.log;
  if (tty) return payload;
  return stdcopy_frame(e.stream == "stderr" ? StdStream::err : StdStream::out, payload);
}

Reply logs(const Root& root, const ApiRequest& request) {
  bool want_out = query_bool(request, "stdout"), want_err = query_bool(request, "stderr");
  if (!want_out && !want_err) throw invalid_argument("Bad parameters: you must choose at least one stream");
  Store store(root);
  ContainerRecord c = find(store, request);
  bool tty = c.config["Config"].value("Tty", false);
  LogQuery query;
  std::string tail = query_string(request, "tail", "all");
  query.tail = tail == "all" || tail.empty() ? -1 : query_int(request, "tail", -1);
  if (std::string since = query_string(request, "since"); !since.empty() && since != "0")
    query.since_ns = static_cast<int64_t>(std::llround(std::stod(since) * 1e9));
  bool follow = query_bool(request, "follow"), timestamps = query_bool(request, "timestamps");
  Reply r;
  r.headers["Content-Type"] = kRawStreamType;
  r.stream = [root, id = c.id, query, follow, timestamps, tty, want_out, want_err](ResponseStream& out) {
    out.start();
    Store store(root);
    read_container_logs(store, id, query, follow, [&](const std::vector<LogEntry>& entries) {
      std::string chunk;
      for (const LogEntry& e : entries)
        if (e.stream == "stderr" ? want_err : want_out) chunk += framed(e, tty, timestamps);
      out.write(chunk);
    });
  };
  return r;
}

// What the client sends, into the container's stdin until the client closes
// its side (StdinOnce) or the attach ends; then the pipe closes: EOF.
std::thread feed_stdin(int connection, UniqueFd pipe_in) {
  return std::thread([connection, in = std::move(pipe_in)] {
    char buf[16384];
    try {
      for (ssize_t n; (n = ::read(connection, buf, sizeof buf)) > 0;)
        write_all(in.get(), buf, static_cast<size_t>(n), "the container's stdin");
    } catch (const Error&) {
      // the container closed its stdin: nothing more to pass on
    }
  });
}

// -it: once `start` connected to the container's terminal (and kept its
// master end for resize), its attach socket is relayed to the connection both ways.
void relay_container_terminal(AttachedStdins& stdins, AttachedTerminals& terminals, const std::string& id,
                              ResponseStream& out) {
  std::future<UniqueFd> terminal = stdins.await_terminal(id);
  out.start();  // the client starts the container once it has the 101
  while (terminal.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
    if (out.peer_closed()) {
      stdins.take(id);  // never started: the wait goes
      return;
    }
  UniqueFd attach = terminal.get();
  if (attach.get() < 0) return;  // the start failed; its reply says why
  AttachedTerminals::Detach detach(terminals, id);
  relay_terminal(attach.get(), true, out, WhenClientGoes::stop);
  ::shutdown(out.fd(), SHUT_WR);
}

// docker attach to a running container with a terminal: its attach socket, as
// `berth attach` connects to it (the monitor sends the master end first).
// Connected before the reply, so a container that just stopped is an error.
Reply attach_running_terminal(const Root& root, const std::shared_ptr<AttachedTerminals>& terminals,
                              const ContainerRecord& c, bool with_stdin, const ReceivedRequest& http) {
  Store store(root);
  auto attach = std::make_shared<UniqueFd>(connect_attach(ContainerPaths(store, c.id).dir));
  terminals->add(c.id, receive_fd(attach->get(), "the container's terminal", 1));
  // Added before the reply (the service's state outlives it): a reply that never streams still removes it.
  auto detach = std::make_shared<AttachedTerminals::Detach>(*terminals, c.id);
  Reply r = hijacked_reply(http);
  r.stream = [detach, attach, with_stdin](ResponseStream& out) {
    out.start();
    relay_terminal(attach->get(), with_stdin, out, WhenClientGoes::stop);
    ::shutdown(out.fd(), SHUT_WR);
  };
  return r;
}

// The container's output from its log, in stdcopy frames without a terminal;
// with stdin=1 before it starts (OpenStdin, no terminal), what the client
// sends becomes its stdin (AttachedStdins); with a terminal, the terminal
// (before the start or while it runs). The client asked to upgrade; the
// connection is the stream's from the 101 on.
Reply attach(const Root& root, const ServiceState& state, const ApiRequest& request) {
  Store store(root);
  ContainerRecord c = find(store, request);
  bool tty = c.config["Config"].value("Tty", false);
  bool want_in = query_bool(request, "stdin") && c.config["Config"].value("OpenStdin", false);
  bool running = c.state == "running";
  if (want_in && tty && running) return attach_running_terminal(root, state.terminals, c, true, request.http);
  // Without a terminal the monitor keeps no stdin for a container started detached.
  if (want_in && running)
    throw invalid_argument("attaching stdin to a running container without a terminal is not supported by berth: "
                           "attach before it starts, or give it one (-t)");
  bool want_out = query_bool(request, "stdout"), want_err = query_bool(request, "stderr");
  Reply r = hijacked_reply(request.http);
  std::shared_ptr<AttachedStdins> stdins = state.stdins;
  if (want_in && tty) {
    r.stream = [stdins, terminals = state.terminals, id = c.id](ResponseStream& out) {
      relay_container_terminal(*stdins, *terminals, id, out);
    };
    return r;
  }
  r.stream = [root, stdins, want_in, id = c.id, tty, want_out, want_err, logs_too = query_bool(request, "logs")](ResponseStream& out) {
    std::thread feeder;
    if (want_in) {
      Pipe pipe;
      stdins->offer_pipe(id, std::move(pipe.read));
      feeder = feed_stdin(out.fd(), std::move(pipe.write));
    }
    out.start();  // the client starts the container once it has the 101
    Store store(root);
    auto emit = [&](const std::vector<LogEntry>& entries) {
      std::string chunk;
      for (const LogEntry& e : entries)
        if (e.stream == "stderr" ? want_err : want_out) chunk += framed(e, tty, false);
      out.write(chunk);
    };
    if (logs_too) read_container_logs(store, id, {}, false, emit);
    follow_container_output(store, id, emit, [&] { return out.peer_closed(); });  // a full close: a half-close is the end of stdin
    ::shutdown(out.fd(), want_in ? SHUT_RDWR : SHUT_WR);  // (RD: the feeder's read returns)
    if (feeder.joinable()) feeder.join();
    stdins->take(id);  // never started: the offer goes
  };
  return r;
}

// The attached terminal's size (docker run -it sends it after the start, and on
// every SIGWINCH); a container without one attached through this service
// keeps its size.
Reply resize(const Root& root, AttachedTerminals& terminals, const ApiRequest& request) {
  Store store(root);
  ContainerRecord c = running_container(store, request.params.at("id"));
  terminals.resize(c.id, static_cast<int>(query_int(request, "h", 0)), static_cast<int>(query_int(request, "w", 0)));
  return json_response(200, std::string());
}

Reply rename(const Root& root, const ApiRequest& request) {
  Store store(root);
  rename_container(store, request.params.at("id"), query_string(request, "name"));
  return no_content();
}

Reply pause(const Root& root, const ApiRequest& request) {
  Store store(root);
  pause_container(store, request.params.at("id"));
  return no_content();
}

Reply unpause(const Root& root, const ApiRequest& request) {
  Store store(root);
  unpause_container(store, request.params.at("id"));
  return no_content();
}

// moby's container.UpdateConfig: Memory, NanoCpus and PidsLimit are carried
// out (0 leaves a limit as it is, as moby does); any other limit set, or a
// restart policy, is refused with a 400 naming it — never ignored.
Reply update(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  for (const char* field : {"CpuShares", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime",
                            "MemoryReservation", "MemorySwap", "KernelMemory", "KernelMemoryTCP", "BlkioWeight"})
    if (body_int(body, field) != 0)
      throw invalid_argument(std::string("HostConfig.") + field + " is not supported by berth's update");
  for (const char* field : {"CpusetCpus", "CpusetMems"})
    if (!body_string(body, field).empty()) throw invalid_argument(std::string(field) + " is not supported by berth's update");
  if (!body_string(body_object(body, "RestartPolicy"), "Name").empty())
    throw invalid_argument("restart policies are not supported by berth");
  ResourceUpdate u;
  if (int64_t m = body_int(body, "Memory"); m != 0) u.memory = m;
  if (int64_t n = body_int(body, "NanoCpus"); n != 0) u.nano_cpus = n;
  if (body.contains("PidsLimit") && !body["PidsLimit"].is_null()) u.pids_limit = body_int(body, "PidsLimit");
  Store store(root);
  update_container(store, request.params.at("id"), u);
  return json_response(200, Json{{"Warnings", Json::array()}});
}

// moby's types.ContainersPruneReport; the stopped containers, as `container prune`.
Reply prune(const Root& root, const ApiRequest& request) {
  if (!filter_specs(request).empty()) throw invalid_argument("berth's container prune takes no filters yet");
  Store store(root);
  Json deleted = nullptr;
  for (const std::string& id : prune_containers(store)) deleted.push_back(id);
  return json_response(200, Json{{"ContainersDeleted", deleted}, {"SpaceReclaimed", 0}});
}

// moby's [{"Path", "Kind"}], or null when nothing changed.
Reply changes(const Root& root, const ApiRequest& request) {
  Store store(root);
  Json out = Json::array();
  for (const FileChange& c : container_changes(store, request.params.at("id")))
    out.push_back({{"Path", c.path}, {"Kind", static_cast<int>(c.kind)}});
  return json_response(200, out.empty() ? Json(nullptr) : out);
}

}  // namespace

void add_container_endpoints(ApiRouter& router, const ServiceState& state) {
  const Root& root = state.root;
  std::shared_ptr<AttachedStdins> stdins = state.stdins;
  std::shared_ptr<AttachedTerminals> terminals = state.terminals;
  router.add("GET", "/containers/json", [root](const ApiRequest& r) { return list(root, r); });
  router.add("POST", "/containers/create", [root](const ApiRequest& r) { return create(root, r); });
  router.add("GET", "/containers/{id}/json", [root](const ApiRequest& r) { return inspect(root, r); });
  router.add("POST", "/containers/{id}/start", [root, stdins, terminals](const ApiRequest& r) { return start(root, *stdins, *terminals, r); });
  router.add("POST", "/containers/{id}/stop", [root](const ApiRequest& r) { return stop(root, r); });
  router.add("POST", "/containers/{id}/restart", [root](const ApiRequest& r) { return restart(root, r); });
  router.add("POST", "/containers/{id}/kill", [root](const ApiRequest& r) { return kill(root, r); });
  router.add("POST", "/containers/{id}/wait", [root](const ApiRequest& r) { return wait(root, r); });
  router.add("DELETE", "/containers/{id}", [root](const ApiRequest& r) { return remove(root, r); });
  router.add("GET", "/containers/{id}/logs", [root](const ApiRequest& r) { return logs(root, r); });
  router.add("POST", "/containers/{id}/resize", [root, terminals](const ApiRequest& r) { return resize(root, *terminals, r); });
  router.add("POST", "/containers/{id}/attach", [root, state](const ApiRequest& r) { return attach(root, state, r); });
  router.add("GET", "/containers/{id}/changes", [root](const ApiRequest& r) { return changes(root, r); });
  router.add("POST", "/containers/{id}/rename", [root](const ApiRequest& r) { return rename(root, r); });
  router.add("POST", "/containers/{id}/update", [root](const ApiRequest& r) { return update(root, r); });
  router.add("POST", "/containers/prune", [root](const ApiRequest& r) { return prune(root, r); });
  router.add("POST", "/containers/{id}/pause", [root](const ApiRequest& r) { return pause(root, r); });
  router.add("POST", "/containers/{id}/unpause", [root](const ApiRequest& r) { return unpause(root, r); });
}

}  // namespace berth
