// What `ps`, `stop`, `kill`, `rm` and `wait` share: the container's true state
// (a monitor killed with SIGKILL records nothing, so a "running" record whose
// processes are gone is set right and cleaned up here), signals by name, and
// waiting for an exit.
#pragma once

#include <chrono>
#include <string>

#include "store/store.h"

namespace berth {

bool process_alive(int pid);

// The record, corrected when its monitor and init are both gone (exit code 255:
// unknown) — with the mount, namespace and runtime state cleaned up.
ContainerRecord refresh_container(Store& store, const ContainerRecord& c);

// The refreshed record of a running container; else Docker's conflict
// "Container ID is not running".
ContainerRecord running_container(Store& store, const std::string& ref);

// Waits until the container is not running; false on timeout.
bool wait_until_stopped(Store& store, const std::string& id, std::chrono::milliseconds timeout);

// "SIGTERM", "TERM", "15" -> 15. Throws Error for an unknown name.
int parse_signal(const std::string& name);

// Sends `sig` to the container's init. Throws when it is not running.
void signal_container(const ContainerRecord& c, int sig);

// Docker's stop: the stop signal (the image's StopSignal, else SIGTERM), then
// SIGKILL after `timeout_s` seconds. No-op for a container that is not running.
void stop_container(Store& store, const std::string& ref, int timeout_s);

}  // namespace berth
