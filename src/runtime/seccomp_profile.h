// The seccomp filter every container and build step gets unless it is
// privileged or runs with --security-opt seccomp=unconfined. Docker's default
// profile is an allow-list of some 350 system calls; this one denies, with
// EPERM, what that list leaves out and normal programs never need — kernel
// modules, kexec, reboot, the clock, keyrings, bpf, perf, userfaultfd, the
// mount API, new namespaces (unshare, setns, clone with CLONE_NEW*) — unless a
// capability added with --cap-add is what the call needs, as Docker does.
// clone3 answers ENOSYS, as in Docker: its flags cannot be inspected, and libc
// then falls back to clone.
#pragma once

#include <string>
#include <vector>

#include "core/image_config.h"  // Json

namespace berth {

// The OCI runtime-spec `linux.seccomp` object for a process with these
// capabilities ("CAP_SYS_ADMIN", …).
Json default_seccomp_profile(const std::vector<std::string>& capabilities);

}  // namespace berth
