// A build's RUN: the command runs in the step's mounted root file system (an
// overlay of the image's layers and a fresh upper dir), through the OCI
// runtime, in the foreground, its output passed to the build's (or held in a
// file while an earlier stage is still printing).
// Docker's defaults for the process (capabilities, masked /proc paths); the
// host's network unless --network=none (docs/architecture.md §7).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

struct RunStep {
  std::string id;                    // what "Running in ID" named: the runtime's ID is berth-build-ID
  std::filesystem::path rootfs;      // the mounted root
  std::vector<std::string> args;     // the command
  std::vector<std::string> env;      // the image's ENV and the ARGs in scope
  std::string user, workdir;         // as in the image config
  std::string network = "default";   // default (the host's) | host | none
  Json mounts = Json::array();       // runtime-spec mounts (RUN --mount: caches, secrets)
  bool quiet = false;                // build -q: the command's output is not shown
  int output_fd = -1;                // where its output goes; -1: the build's stdout and stderr
};

// Returns the command's exit code; throws Error when it could not be run.
int run_build_step(Store& store, const RunStep& step);

// The RUN steps a killed build left behind in the runtime (still running,
// their root still mounted): deleted by force. For `system check`, which holds
// the store's exclusive lock, so no build is running. Returns their IDs.
std::vector<std::string> remove_leftover_build_steps(Store& store);

}  // namespace berth
