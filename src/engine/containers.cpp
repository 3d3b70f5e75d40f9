#include "engine/containers.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include "core/error.h"
#include "core/number.h"
#include "core/timestamp.h"
#include "runtime/container_create.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_pause.h"
#include "runtime/monitor_launch.h"
#include "store/event_log.h"

namespace berth {

std::optional<MonitorLaunch> start_container(Store& store, const std::string& ref, const MonitorWiring& wiring) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state == "running") return std::nullopt;
  return launch_monitor(store.root(), c.id, wiring);
}

void restart_container(Store& store, const std::string& ref, int timeout_s) {
  stop_container(store, ref, timeout_s);
  ContainerRecord c = store.containers().find(ref);
  launch_monitor(store.root(), c.id, MonitorWiring{});
  record_container_event(store.root(), c, "restart");
}

void kill_container(Store& store, const std::string& ref, int signal) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  signal_container(c, signal);
  thaw_for_signal(store, c, signal);
  record_container_event(store.root(), c, "kill", Json{{"signal", std::to_string(signal)}});
}

int wait_container(Store& store, const std::string& ref) {
  ContainerRecord c = store.containers().find(ref);
  wait_until_stopped(store, c.id, std::chrono::hours(24 * 365));
  std::optional<ContainerRecord> after = store.containers().get(c.id);
  return after ? after->exit_code : 0;
}

std::optional<int> wait_container(Store& store, const std::string& ref, WaitCondition condition,
                                  const std::function<bool()>& cancelled) {
  ContainerRecord c = store.containers().find(ref);
  int64_t asked_at = now_unix_nanos();
  int exit_code = c.state == "exited" ? c.exit_code : 0;
  // An --rm container's record can go between two looks: its die event keeps the code.
  EventLogReader events(store.root());
  events.skip_to_end();
  auto exit_code_from_events = [&] {
    for (const Json& e : events.read_new())
      if (e.value("id", "") == c.id && e.value("status", "") == "die")
        exit_code = static_cast<int>(try_parse_int(e["Actor"]["Attributes"].value("exitCode", "0")).value_or(0));
  };
  while (!cancelled()) {
    std::optional<ContainerRecord> now = store.containers().get(c.id);
    exit_code_from_events();
    if (!now) return exit_code;
    ContainerRecord current = refresh_container(store, *now);
    if (current.state == "exited") exit_code = current.exit_code;
    bool stopped = current.state != "running";
    if (condition == WaitCondition::not_running && stopped) return exit_code;
    if (condition == WaitCondition::next_exit && current.state == "exited" && current.finished_at >= asked_at)
      return exit_code;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

void rename_container(Store& store, const std::string& ref, const std::string& new_name) {
  ContainerRecord c = store.containers().find(ref);
  std::string name = new_name.starts_with("/") ? new_name.substr(1) : new_name;
  if (name.empty()) throw invalid_argument("Neither old nor new names may be empty");
  if (name == c.name) throw invalid_argument("Renaming a container with the same name as its current name");
  // Docker's daemon words these as it allocates the name.
  try {
    check_container_name("/" + name);
    store.containers().rename(c.id, name);
  } catch (const Error& e) {
    throw Error(std::string("Error when allocating new name: ") + e.what(), e.kind());
  }
  std::string old_name = c.name;
  c.name = name;
  record_container_event(store.root(), c, "rename", Json{{"oldName", "/" + old_name}});
}

void delete_container(Store& store, const std::string& ref, bool force, bool volumes) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state == "running") {
    if (!force && c.paused)
      throw conflict("You cannot remove a paused container " + c.id +
                     ". Unpause and then stop the container before attempting removal or force remove");
    if (!force)
      throw conflict("You cannot remove a running container " + c.id +
                     ". Stop the container before attempting removal or force remove");
    try {
      signal_container(c, SIGKILL);
      thaw_for_signal(store, c, SIGKILL);
    } catch (const Error&) {
      // it ended meanwhile
    }
    if (!wait_until_stopped(store, c.id, std::chrono::seconds(10)))
      throw Error("container " + c.name + " did not stop after SIGKILL");
    std::optional<ContainerRecord> after = store.containers().get(c.id);
    if (!after) return;  // it was --rm: its monitor removed it
    c = *after;
  }
  remove_container(store, c, volumes);
}

std::vector<std::string> prune_containers(Store& store) {
  std::vector<std::string> removed;
  for (const ContainerRecord& stored : store.containers().all()) {
    ContainerRecord c = refresh_container(store, stored);
    if (c.state == "running") continue;
    remove_container(store, c);
    removed.push_back(c.id);
  }
  return removed;
}

}  // namespace berth
