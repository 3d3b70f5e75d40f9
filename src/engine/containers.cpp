#include "engine/containers.h"

#include <signal.h>

#include <chrono>

#include "core/error.h"
#include "runtime/container_create.h"
#include "runtime/container_lifecycle.h"
#include "runtime/monitor_launch.h"

namespace berth {

bool start_container(Store& store, const std::string& ref) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state == "running") return false;
  launch_monitor(store.root(), c.id, MonitorWiring{});
  return true;
}

void restart_container(Store& store, const std::string& ref, int timeout_s) {
  stop_container(store, ref, timeout_s);
  launch_monitor(store.root(), store.containers().find(ref).id, MonitorWiring{});
}

void kill_container(Store& store, const std::string& ref, int signal) {
  signal_container(refresh_container(store, store.containers().find(ref)), signal);
}

int wait_container(Store& store, const std::string& ref) {
  ContainerRecord c = store.containers().find(ref);
  wait_until_stopped(store, c.id, std::chrono::hours(24 * 365));
  std::optional<ContainerRecord> after = store.containers().get(c.id);
  return after ? after->exit_code : 0;
}

void delete_container(Store& store, const std::string& ref, bool force, bool volumes) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state == "running") {
    if (!force)
      throw conflict("You cannot remove a running container " + c.id +
                     ". Stop the container before attempting removal or force remove");
    try {
      signal_container(c, SIGKILL);
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
