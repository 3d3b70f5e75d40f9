// The monitor: one detached process per running container, what containerd's
// shim or podman's conmon are. It mounts the root file system, writes the OCI
// bundle, has the runtime (runc/crun) create and start the container, owns
// its stdout/stderr (written to the json-file log, runtime/output_pump.h), is
// its subreaper so it can wait for it, records the exit code and time, and
// cleans up: the mount, the network namespace, and for --rm the whole
// container. `run` and `start` launch it (runtime/monitor_launch.h).
#pragma once

#include <filesystem>
#include <string>

#include "runtime/oci_runtime.h"
#include "store/store.h"

namespace berth {

// The monitor process's main (the hidden `berth container-monitor` command).
// `wait_for_attach`: the first attach client connects before the container starts.
int run_monitor(const std::filesystem::path& root, const std::string& id, int report_fd, bool wait_for_attach);

// The runtime a container was created with, over the store's runtime state.
OciRuntime container_runtime(const Store& store, const ContainerRecord& c);

// Undoes what starting did: the runtime's state, the root mount, the network
// namespace. Quiet and idempotent: the monitor calls it when the container
// exits, and whoever finds a container whose monitor died calls it instead.
void release_container(Store& store, const ContainerRecord& c);

}  // namespace berth
