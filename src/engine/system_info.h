// `version` and `info` as data, in moby's shapes (types.Version and
// types.Info), for the CLI to print and the Engine API to send: what this
// engine is, what the store holds, what the machine offers.
#pragma once

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

// types.Version: berth's version, the API version it serves, the kernel, os/arch.
Json engine_version();

// types.Info: counts from the store, overlay2, json-file, cgroupfs, the runtime
// and init binary berth uses, the machine's CPUs, memory, kernel and OS.
Json engine_info(Store& store);

}  // namespace berth
