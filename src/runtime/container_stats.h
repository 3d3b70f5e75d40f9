// What a running container uses, read as moby's stats collector reads it:
// its cgroups (the v1 controllers, or the v2 unified tree) found from
// /proc/<init>/cgroup, the host's /proc/stat for the system CPU time the CLI
// divides by, and the interfaces of its network namespace. One sample in
// moby's types.StatsJSON shape, without the "pre" half (the caller keeps the
// previous sample for that: /containers/{id}/stats, `berth stats`).
#pragma once

#include "core/image_config.h"
#include "store/container_store.h"

namespace berth {

// read, pids_stats, blkio_stats, num_procs, storage_stats, cpu_stats,
// memory_stats, name, id, networks. A container that is not running gives
// moby's zero sample (times "0001-01-01T00:00:00Z", empty objects).
Json container_stats_sample(const ContainerRecord& c);

// The full StatsJSON: `now` with precpu_stats and preread taken from `previous`
// (a sample, or null for none yet).
Json stats_with_previous(Json now, const Json& previous);

}  // namespace berth
