// The directories the runtime makes for its mounts of /dev, /proc and /sys
// when a RUN step's image has none. BuildKit leaves them in the step's layer
// (its mount-stub cleaner removes only /etc/hosts, /etc/resolv.conf and the
// step's own --mount targets); Docker's classic builder runs over an init
// layer that holds them and leaves them out. berth follows BuildKit
// (docs/build.md, "Where Docker's builders disagree").
#pragma once

#include <optional>

#include "builder/working_layer.h"
#include "core/digest.h"
#include "store/store.h"

namespace berth {

// After the step ran: each of /dev, /proc, /sys that the layers up to `top`
// do not have is made in the step's changes (a directory, 0755, root).
void keep_runtime_mount_points(Store& store, const std::optional<Digest>& top, const WorkingLayer& layer);

}  // namespace berth
