// Volumes and other mounts of a container, from Docker's three spellings:
// -v SOURCE:TARGET[:ro] (a host path, or a named volume under
// <root>/volumes/NAME/_data), --mount type=bind|volume|tmpfs,source=,target=,
// readonly, and --tmpfs TARGET[:OPTIONS]. Kept in HostConfig.Mounts in
// Docker's shape; turned into runtime-spec mounts when the container starts.
#pragma once

#include <filesystem>
#include <string>

#include "core/image_config.h"

namespace berth {

// Docker's volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (so never "." or "..").
bool valid_volume_name(const std::string& name);

// Each returns a HostConfig.Mounts entry: {"Type", "Source", "Target", "ReadOnly"}.
// Throws Error (one line) for a malformed spec.
Json parse_volume_flag(const std::string& spec);  // -v
Json parse_mount_flag(const std::string& spec);   // --mount
Json parse_tmpfs_flag(const std::string& spec);   // --tmpfs

// Makes named volumes and checks bind sources (a -v bind source that does not
// exist is created, as Docker does; a --mount one is an error). Returns the
// entry with Source made absolute (volumes: their _data directory).
Json prepare_mount(const Json& mount, const std::filesystem::path& volumes_dir);

// The runtime-spec mount for a prepared entry.
Json runtime_mount(const Json& mount);

}  // namespace berth
