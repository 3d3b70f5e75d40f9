#include "runtime/container_pause.h"

#include <signal.h>

#include "core/error.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_monitor.h"
#include "store/event_log.h"

namespace berth {

void pause_container(Store& store, const std::string& ref) {
  ContainerRecord c = running_container(store, ref);
  if (c.paused) throw conflict("Container " + c.id + " is already paused");
  container_runtime(store, c).pause(c.id);
  store.containers().set_paused(c.id, true);
  record_container_event(store.root(), c, "pause");
}

void unpause_container(Store& store, const std::string& ref) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (!c.paused || c.state != "running") throw conflict("Container " + c.id + " is not paused");
  container_runtime(store, c).resume(c.id);
  store.containers().set_paused(c.id, false);
  record_container_event(store.root(), c, "unpause");
}

void thaw_for_signal(Store& store, const ContainerRecord& c, int sig) {
  if (!c.paused) return;
  if (sig != SIGKILL && sig != parse_signal(c.config["Config"].value("StopSignal", "SIGTERM"))) return;
  container_runtime(store, c).resume(c.id);
  store.containers().set_paused(c.id, false);
}

std::string docker_state(const ContainerRecord& c) { return c.state == "running" && c.paused ? "paused" : c.state; }

}  // namespace berth
