// Docker's update of a container's resource limits (docker update, POST
// /containers/{id}/update): memory, CPUs and the PID limit — the ones berth's
// run sets. The record's HostConfig gets the new values (a later start uses
// them); a running container gets them at once from the runtime (`update`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/store.h"

namespace berth {

struct ResourceUpdate {
  std::optional<int64_t> memory;      // bytes; Docker's minimum is 6 MB
  std::optional<int64_t> nano_cpus;   // 1e9 per CPU, at most the host's
  std::optional<int64_t> pids_limit;  // 0 or -1: unlimited
  bool empty() const { return !memory && !nano_cpus && !pids_limit; }
};

// Throws Docker's errors (invalid_argument) for a value out of range.
void update_container(Store& store, const std::string& ref, const ResourceUpdate& update);

}  // namespace berth
