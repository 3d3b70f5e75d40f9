// A container's root file system, as docs/architecture.md §1 and the seed describe it:
// its own overlay2/<layer>/{diff,work,merged} (with link and lower files like
// an image layer's) over the image's layer dirs, mounted with overlayfs —
// lowerdirs through the short l/ links, nearest first. No image file is copied.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "store/store.h"

namespace berth {

// Makes the writable layer for a container of the image whose top layer is
// `top` (none for an image without layers). Returns its layer ID. With
// `init_process`, the init layer also holds the mount point of --init's binary.
std::string create_container_layer(Store& store, const std::optional<Digest>& top, bool init_process = false);

// Where --init's binary (tini, as Docker's docker-init) is mounted in the container.
inline constexpr const char* kInitProcessPath = "/sbin/docker-init";
std::filesystem::path container_merged_dir(Store& store, const std::string& layer_id);
std::filesystem::path container_diff_dir(Store& store, const std::string& layer_id);

void mount_container_rootfs(Store& store, const std::string& layer_id);
// Unmounts if mounted; no error when it is not.
void unmount_container_rootfs(Store& store, const std::string& layer_id);
// Unmounts and deletes the layer directory and its l/ link.
void remove_container_layer(Store& store, const std::string& layer_id);

}  // namespace berth
