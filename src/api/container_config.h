// The body of POST /containers/create (moby's container.Config with
// HostConfig and NetworkingConfig inside) as the ContainerOptions the CLI's
// `create` makes from flags, so both front ends create by the same rules.
// Binds, Mounts, Tmpfs and Config.Volumes all become mounts; the runtime
// layer merges them with the image's volumes by destination.
#pragma once

#include <string>

#include "core/image_config.h"
#include "runtime/container_create.h"

namespace berth {

// Throws invalid_argument (400) for a field of the wrong type or a bad spec.
ContainerOptions container_options_from_request(const Json& body, const std::string& name);

}  // namespace berth
