// The container operations a front end calls by name or ID, with Docker's
// rules: start (a running one is left alone), restart, kill, wait, remove
// (a running one only with force, then killed first), prune. `create`,
// `stop`, `inspect` are the runtime layer's (runtime/container_create.h,
// container_lifecycle.h, container_inspect.h); `exec` and `top` are in
// container_exec.h, logs in container_logs.h, files in container_files.h.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/monitor_launch.h"
#include "store/store.h"

namespace berth {

// Starts it detached unless it runs: how the monitor was launched, or nothing
// when it was running. `wiring`: what the API's attach connections wait for
// (the container's stdin, or a connection to its terminal).
std::optional<MonitorLaunch> start_container(Store& store, const std::string& ref, const MonitorWiring& wiring = {});

// Stops it (the stop signal, then SIGKILL after `timeout_s`) and starts it again.
void restart_container(Store& store, const std::string& ref, int timeout_s);

// Sends `signal` to its process. Throws conflict when it is not running.
void kill_container(Store& store, const std::string& ref, int signal);

// Waits until it stops; returns its exit code (0 when an --rm one is gone).
int wait_container(Store& store, const std::string& ref);

// The Engine API's wait conditions: not running (now or later), the exit of
// its next run (a container about to be started), or its removal.
enum class WaitCondition { not_running, next_exit, removed };

// Returns its exit code (that of its last run when it is removed, 0 when an
// --rm one went before it was seen exiting), or nullopt when `cancelled`
// returned true first.
std::optional<int> wait_container(Store& store, const std::string& ref, WaitCondition condition,
                                  const std::function<bool()>& cancelled);

// `rm`: a running container is refused (conflict) unless `force`, which
// kills it first. `volumes` removes its anonymous volumes too.
void delete_container(Store& store, const std::string& ref, bool force, bool volumes);

// `rename OLD NEW`: Docker's checks (a valid name, not the current one, not taken).
void rename_container(Store& store, const std::string& ref, const std::string& new_name);

// `container prune`: every container that is not running; returns their IDs.
std::vector<std::string> prune_containers(Store& store);

}  // namespace berth
