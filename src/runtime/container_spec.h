// A container's record (Docker's Config and HostConfig) turned into the
// inputs of its OCI runtime spec: user, environment, namespaces, mounts,
// capabilities, security options, --init, cgroup limits.
#pragma once

#include "runtime/container_paths.h"
#include "runtime/runtime_spec.h"
#include "store/store.h"

namespace berth {

// Needs the container's root file system mounted (its /etc/passwd names the user).
RuntimeSpecInputs container_spec_inputs(Store& store, const ContainerRecord& c, const ContainerPaths& paths);

}  // namespace berth
