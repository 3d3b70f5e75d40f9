// `ps` and the Engine API's /containers/json as data: the containers (the
// running ones unless `all`), their state set right first, after Docker's
// filters, newest first; and Docker's STATUS text for one.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

// `filter_specs` as `--filter` takes them (KEY=VALUE); a status= filter lists
// stopped containers as if `all` were given. Throws Error for a bad filter.
std::vector<ContainerRecord> list_containers(Store& store, bool all, const std::vector<std::string>& filter_specs);

// "Up 3 minutes", "Exited (0) 2 seconds ago", "Created".
std::string container_status(const ContainerRecord& c);

}  // namespace berth
