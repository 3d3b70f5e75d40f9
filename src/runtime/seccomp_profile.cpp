#include "runtime/seccomp_profile.h"

#include <algorithm>

namespace berth {
namespace {

constexpr int kEperm = 1, kEnosys = 38;

// System calls denied unless the process has the capability that governs them
// ("" = always denied: nothing a container needs them for).
struct DeniedGroup {
  const char* capability;
  std::vector<const char*> calls;
};

const std::vector<DeniedGroup>& denied_groups() {
  static const std::vector<DeniedGroup> groups = {
      {"", {"acct", "add_key", "bpf", "create_module", "get_kernel_syms", "keyctl", "kexec_file_load", "kexec_load",
            "lookup_dcookie", "nfsservctl", "perf_event_open", "query_module", "request_key", "uselib", "userfaultfd",
            "ustat", "vm86", "vm86old", "_sysctl", "sysfs"}},
      {"CAP_SYS_ADMIN", {"mount", "umount", "umount2", "unshare", "setns", "pivot_root", "swapon", "swapoff",
                         "quotactl", "open_by_handle_at", "name_to_handle_at", "fanotify_init", "fsopen", "fsconfig",
                         "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr"}},
      {"CAP_SYS_MODULE", {"init_module", "finit_module", "delete_module"}},
      {"CAP_SYS_BOOT", {"reboot"}},
      {"CAP_SYS_TIME", {"settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
                        "clock_adjtime64"}},
      {"CAP_SYS_RAWIO", {"iopl", "ioperm"}},
      {"CAP_SYSLOG", {"syslog"}},
  };
  return groups;
}

// clone's namespace flags (CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET).
constexpr uint64_t kNamespaceFlags[] = {0x00020000, 0x02000000, 0x04000000, 0x08000000,
                                        0x10000000, 0x20000000, 0x40000000};

}  // namespace

Json default_seccomp_profile(const std::vector<std::string>& capabilities) {
  auto has = [&](const std::string& c) {
    return std::find(capabilities.begin(), capabilities.end(), c) != capabilities.end();
  };
  Json syscalls = Json::array();
  Json names = Json::array();
  for (const DeniedGroup& g : denied_groups())
    if (std::string(g.capability).empty() || !has(g.capability))
      for (const char* call : g.calls) names.push_back(call);
  syscalls.push_back({{"names", names}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", kEperm}});
  if (!has("CAP_SYS_ADMIN")) {
    // One rule per flag: the rules of a call are alternatives, so any of them set denies it.
    for (uint64_t flag : kNamespaceFlags)
      syscalls.push_back({{"names", {"clone"}},
                          {"action", "SCMP_ACT_ERRNO"},
                          {"errnoRet", kEperm},
                          {"args", {{{"index", 0}, {"value", flag}, {"valueTwo", flag}, {"op", "SCMP_CMP_MASKED_EQ"}}}}});
    syscalls.push_back({{"names", {"clone3"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", kEnosys}});
  }
  // This machine's architecture and the older ones its kernel also runs (their calls have other numbers).
#if defined(__aarch64__)
  Json architectures = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"};
#else
  Json architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
#endif
  return {{"defaultAction", "SCMP_ACT_ALLOW"}, {"architectures", architectures}, {"syscalls", syscalls}};
}

}  // namespace berth
