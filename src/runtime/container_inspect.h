// `inspect` of a container, in the shape Docker 20.10 gives it: Id, Created,
// Path, Args, State, Image, Name, HostConfig, GraphDriver, Mounts, Config,
// NetworkSettings.Ports.
#pragma once

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

Json inspect_container(Store& store, const ContainerRecord& c);

// Pieces of it that a container listing (the API's /containers/json) shows too:
// NetworkSettings.Networks (each network's endpoint, by network name) and Mounts.
Json container_endpoints(Store& store, const ContainerRecord& c);
Json container_mounts(const ContainerRecord& c);

}  // namespace berth
