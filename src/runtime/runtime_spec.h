// The OCI runtime-spec config.json for a container, with Docker's defaults:
// its capability set, its masked and read-only /proc paths, new mount, PID,
// IPC, UTS and (unless the host's) network namespaces, /dev, /dev/pts,
// /dev/shm, /dev/mqueue, read-only /sys, and its /etc/hosts, /etc/hostname
// and /etc/resolv.conf bind-mounted from the container's directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/image_config.h"

namespace berth {

struct RuntimeSpecInputs {
  std::string id, hostname;
  std::vector<std::string> args, env;
  std::string cwd = "/";
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> additional_gids;
  std::filesystem::path rootfs;
  std::filesystem::path netns;  // a network namespace to join; empty: the host's
  std::filesystem::path hosts, hostname_file, resolv_conf;
  bool terminal = false;
  bool privileged = false;
  bool read_only = false;
  bool seccomp = true;            // runtime/seccomp_profile.h (never when privileged)
  bool no_new_privileges = false;
  std::vector<std::string> cap_add, cap_drop;  // "NET_ADMIN" or "CAP_NET_ADMIN", "ALL"
  Json extra_mounts = Json::array();           // runtime-spec mount objects (volumes, tmpfs)
  int64_t memory = 0;                          // bytes; 0: no limit
  int64_t cpu_quota = 0;                       // µs per 100 ms period; 0: no limit
  int64_t pids_limit = 0;
};

// Docker's default capabilities (moby's oci/caps/defaults.go), with CAP_ prefixes.
const std::vector<std::string>& default_capabilities();

// Throws Error for an unknown capability name.
Json make_runtime_spec(const RuntimeSpecInputs& in);

// --security-opt values: "seccomp=unconfined", "no-new-privileges[=true|:true]".
// Throws Error for any other (a seccomp profile file among them).
void apply_security_options(const std::vector<std::string>& options, RuntimeSpecInputs* in);

}  // namespace berth
