// Docker's copy-up of image content into volumes: a volume mounted where the
// image has a directory starts as a copy of it (owner, mode, xattrs, links)
// when the volume is still empty, so `-v data:/var/lib/app` sees the image's
// files the first time. `-v NAME:/dir:nocopy` and `--mount …,volume-nocopy`
// turn it off; bind mounts and tmpfs are never filled.
#pragma once

#include "store/store.h"

namespace berth {

// Fills the container's empty volumes from its mounted root file system.
// Paths in the image are walked beneath its root: a symlink is not followed.
void copy_up_volumes(Store& store, const ContainerRecord& c);

}  // namespace berth
