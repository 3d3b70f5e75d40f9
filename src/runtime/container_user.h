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
  bool group_given = false;      // "user:group", "uid:gid"
  std::vector<uint32_t> groups;  // those of /etc/group that list the user, in its order; not gid
  std::string home = "/";
};

// Throws Error("unable to find user NAME: no matching entries in passwd file").
ContainerUser resolve_container_user(const std::filesystem::path& rootfs, const std::string& spec);

// A container's or exec's supplementary groups, as Docker's (runc's rule): the
// group alone when one was given, else the groups listing the user and then
// its primary group. `run -u 1000:50 … id` → groups=50.
std::vector<uint32_t> container_supplementary_groups(const ContainerUser& user);
// A RUN step's, as BuildKit's: none when a group was given, else the groups
// listing the user, without its primary one. Docker's classic builder uses the
// container rule; berth follows BuildKit (docs/build.md).
std::vector<uint32_t> build_step_supplementary_groups(const ContainerUser& user);

}  // namespace berth
