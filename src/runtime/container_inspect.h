// `inspect` of a container, in the shape Docker 20.10 gives it: Id, Created,
// Path, Args, State, Image, Name, HostConfig, GraphDriver, Mounts, Config,
// NetworkSettings.Ports.
#pragma once

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

Json inspect_container(Store& store, const ContainerRecord& c);

}  // namespace berth
