#include "runtime/container_update.h"

#include <unistd.h>

#include "core/error.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_monitor.h"
#include "store/event_log.h"

namespace berth {
namespace {

constexpr int64_t kMinimumMemory = 6 * 1024 * 1024;
constexpr int64_t kCpuPeriod = 100000;  // µs; the quota is NanoCpus over it, as container_spec sets it

void check(const ResourceUpdate& u) {
  if (u.memory && *u.memory != 0 && *u.memory < kMinimumMemory)
    throw invalid_argument("Minimum memory limit allowed is 6MB");
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (u.nano_cpus && (*u.nano_cpus < 0 || *u.nano_cpus > cpus * int64_t{1000000000}))
    throw invalid_argument("Range of CPUs is from 0.01 to " + std::to_string(cpus) + ".00, as there are only " +
                           std::to_string(cpus) + " CPUs available");
}

}  // namespace

void update_container(Store& store, const std::string& ref, const ResourceUpdate& u) {
  check(u);
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  Json resources = Json::object();
  Json& host = c.config["HostConfig"];
  if (u.memory && *u.memory > 0) {
    host["Memory"] = *u.memory;
    resources["memory"] = {{"limit", *u.memory}};
  }
  if (u.nano_cpus && *u.nano_cpus > 0) {
    host["NanoCpus"] = *u.nano_cpus;
    resources["cpu"] = {{"quota", *u.nano_cpus * kCpuPeriod / 1000000000}, {"period", kCpuPeriod}};
  }
  if (u.pids_limit) {
    host["PidsLimit"] = *u.pids_limit > 0 ? *u.pids_limit : 0;
    resources["pids"] = {{"limit", *u.pids_limit > 0 ? *u.pids_limit : -1}};
  }
  if (c.state == "running" && !resources.empty()) {
    try {
      container_runtime(store, c).update(c.id, resources);
    } catch (const Error& e) {
      throw Error("Cannot update container " + c.id + ": " + e.what());
    }
  }
  store.containers().set_config(c.id, c.config);
  record_container_event(store.root(), c, "update");
}

}  // namespace berth
