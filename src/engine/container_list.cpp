#include "engine/container_list.h"

#include "core/timestamp.h"
#include "core/units.h"
#include "engine/container_filter.h"
#include "runtime/container_lifecycle.h"

namespace berth {

std::vector<ContainerRecord> list_containers(Store& store, bool all, const std::vector<std::string>& filter_specs) {
  ContainerFilter filter(store, filter_specs);
  all = all || filter.implies_all();
  std::vector<ContainerRecord> out;
  for (const ContainerRecord& stored : store.containers().all()) {
    ContainerRecord c = refresh_container(store, stored);
    if (!all && c.state != "running") continue;
    if (filter.matches(store, c)) out.push_back(std::move(c));
  }
  return out;
}

std::string container_status(const ContainerRecord& c) {
  int64_t now = now_unix_nanos();
  if (c.state == "running")
    return "Up " + human_duration((now - c.started_at) / 1000000000) + (c.paused ? " (Paused)" : "");
  if (c.state == "exited")
    return "Exited (" + std::to_string(c.exit_code) + ") " + human_duration((now - c.finished_at) / 1000000000) + " ago";
  return "Created";
}

}  // namespace berth
