// Docker's -u / USER rules: "", "name", "uid", "name:group", "uid:gid",
// resolved through the image's own /etc/passwd and /etc/group, which are
// read beneath the container's root without following symlinks out of it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace berth {

struct ContainerUser {
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> groups;  // supplementary, from /etc/group
  std::string home = "/";
};

// Throws Error("unable to find user NAME: no matching entries in passwd file").
ContainerUser resolve_container_user(const std::filesystem::path& rootfs, const std::string& spec);

}  // namespace berth
