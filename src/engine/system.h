// `system df` and `system check` as data: what the store holds and what could
// be reclaimed (Docker's four rows), and the verification of the store with
// the repairs it made. The front end decides how to show them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image/store_check.h"
#include "store/store.h"

namespace berth {

struct UsageRow {
  int64_t total = 0, active = 0, size = 0, reclaimable = 0;
};

// Images: those `images` lists, active when a container uses one; their size
// is every layer once, reclaimable what no container's image uses.
// Containers: active when running; size is their writable layers. Volumes:
// active when a container mounts one. Build cache: the step records and the
// RUN --mount=type=cache directories, all reclaimable (builder prune).
// The rows' items, for the Engine API's /system/df (from which the docker CLI
// computes the same rows). An image's `attributed` size is what it adds to
// the used total: its layers not already counted for an image before it, so
// that images.size - Σ attributed of the used ones = images.reclaimable.
struct ImageUsage {
  Digest id;
  int64_t size = 0, attributed = 0;
  int containers = 0;
};
struct ContainerUsage {
  std::string id;
  int64_t size = 0;  // its writable layer
  bool running = false;
};
struct VolumeUsage {
  std::string name;
  int64_t size = 0;
  int containers = 0;
};
struct CacheUsage {
  std::string id;  // a RUN --mount=type=cache directory, or a step record's key
  int64_t size = 0;
  bool cache_mount = false;
};

struct DiskUsage {
  UsageRow images, containers, volumes, build_cache;
  std::vector<ImageUsage> image_items;
  std::vector<ContainerUsage> container_items;
  std::vector<VolumeUsage> volume_items;
  std::vector<CacheUsage> cache_items;
};

DiskUsage disk_usage(Store& store);

struct SystemCheckReport {
  std::vector<std::string> removed_build_steps;  // runtime containers of killed builds
  std::vector<std::string> released_containers;  // their monitor was killed: mounts, veths, leases released
  bool rewrote_firewall = false;  // a bridge is up: berth's chains written again from the store
  CheckReport store;
};

// Needs the store locked exclusively. RUN steps of a killed build go first:
// their processes keep their roots busy. A container whose monitor died is
// released (mount, namespace, veths, address leases) and recorded as exited;
// a container that is not running keeps no lease and no veth. The firewall
// rules of the bridges that are up are written again. What is still marked
// not yet known durable is flushed and unmarked (marks of an earlier boot were
// verified when the store was opened: engine/crash_recovery.h).
SystemCheckReport system_check(Store& store);

}  // namespace berth
