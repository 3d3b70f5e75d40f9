// Docker's pause and unpause: the container's processes frozen by the runtime
// (the cgroup freezer) and thawed. The record keeps state "running" with
// `paused` set, as Docker's State has Running and Paused both true; ps shows
// "Up … (Paused)" and the status filter "paused".
#pragma once

#include <string>

#include "store/store.h"

namespace berth {

// Docker's messages: "Container ID is not running" / "is already paused" /
// "is not paused" (conflicts, 409 through the API).
void pause_container(Store& store, const std::string& ref);
void unpause_container(Store& store, const std::string& ref);

// Moby's rule for a signal sent to a paused container: SIGKILL and the
// container's stop signal thaw it, so that it can act on them; any other
// signal stays pending until `unpause`.
void thaw_for_signal(Store& store, const ContainerRecord& c, int sig);

// "running" or, when paused, "paused": Docker's State.Status and ps's status.
std::string docker_state(const ContainerRecord& c);

}  // namespace berth
