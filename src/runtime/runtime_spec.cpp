#include "runtime/runtime_spec.h"

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "core/number.h"
#include "runtime/seccomp_profile.h"

namespace berth {
namespace {

const std::vector<std::string> kAllCapabilities = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};

std::string cap_name(std::string c) {
  for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (c != "ALL" && !c.starts_with("CAP_")) c = "CAP_" + c;
  if (c != "ALL" && std::find(kAllCapabilities.begin(), kAllCapabilities.end(), c) == kAllCapabilities.end())
    throw Error("unknown capability: \"" + c + "\"");
  return c;
}

// All capabilities this process may hand on: those in its bounding set (a
// host, or a VM's sandbox, may lack some, and the runtime refuses to grant
// those), as Docker's --privileged gives. kAllCapabilities is in number order.
std::vector<std::string> available_capabilities() {
  uint64_t bounding = ~uint64_t{0};
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("CapBnd:")) {
      size_t hex = line.find_first_not_of(" \t", 7);
      bounding = try_parse_uint(hex == std::string::npos ? "" : line.substr(hex), 16).value_or(bounding);
    }
  std::vector<std::string> out;
  for (size_t i = 0; i < kAllCapabilities.size(); ++i)
    if (bounding & (uint64_t{1} << i)) out.push_back(kAllCapabilities[i]);
  return out;
}

// Docker's --cap-add/--cap-drop rules: ALL in either, drops after adds.
std::vector<std::string> capabilities(const RuntimeSpecInputs& in) {
  if (in.privileged) return available_capabilities();
  std::vector<std::string> caps = default_capabilities();
  for (const std::string& a : in.cap_add) {
    std::string c = cap_name(a);
    if (c == "ALL") caps = available_capabilities();
    else if (std::find(caps.begin(), caps.end(), c) == caps.end()) caps.push_back(c);
  }
  for (const std::string& d : in.cap_drop) {
    std::string c = cap_name(d);
    if (c == "ALL") caps.clear();
    else caps.erase(std::remove(caps.begin(), caps.end(), c), caps.end());
  }
  return caps;
}

Json mount(const std::string& dest, const std::string& type, const std::string& source, Json options) {
  return {{"destination", dest}, {"type", type}, {"source", source}, {"options", std::move(options)}};
}

}  // namespace

const std::vector<std::string>& default_capabilities() {
  static const std::vector<std::string> caps = {
      "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",      "CAP_MKNOD",
      "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID",           "CAP_SETFCAP",     "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"};
  return caps;
}

Json make_runtime_spec(const RuntimeSpecInputs& in) {
  std::vector<std::string> caps = capabilities(in);
  Json process = {
      {"terminal", in.terminal},
      {"user", {{"uid", in.uid}, {"gid", in.gid}}},
      {"args", in.args},
      {"env", in.env},
      {"cwd", in.cwd},
      {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
      {"noNewPrivileges", in.no_new_privileges},
  };
  if (!in.additional_gids.empty()) process["user"]["additionalGids"] = in.additional_gids;

  Json mounts = Json::array({
      mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"ro", "nosuid", "noexec", "nodev"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/etc/resolv.conf", "bind", in.resolv_conf.string(), {"rbind", "rprivate"}),
      mount("/etc/hostname", "bind", in.hostname_file.string(), {"rbind", "rprivate"}),
      mount("/etc/hosts", "bind", in.hosts.string(), {"rbind", "rprivate"}),
  });
  for (const Json& m : in.extra_mounts) mounts.push_back(m);

  Json namespaces = Json::array({{{"type", "pid"}}, {{"type", "ipc"}}, {{"type", "uts"}}, {{"type", "mount"}}});
  if (!in.netns.empty()) namespaces.push_back({{"type", "network"}, {"path", in.netns.string()}});

  Json resources = {{"devices", Json::array({{{"allow", false}, {"access", "rwm"}}})}};
  if (in.memory > 0) resources["memory"] = {{"limit", in.memory}};
  if (in.cpu_quota > 0) resources["cpu"] = {{"quota", in.cpu_quota}, {"period", 100000}};
  if (in.pids_limit > 0) resources["pids"] = {{"limit", in.pids_limit}};

  Json linux_ = {{"namespaces", namespaces}, {"resources", resources}, {"cgroupsPath", "/berth/" + in.id}};
  if (!in.privileged) {
    linux_["maskedPaths"] = {"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                             "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                             "/sys/firmware"};
    linux_["readonlyPaths"] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
    if (in.seccomp) linux_["seccomp"] = default_seccomp_profile(caps);
  }
  return {{"ociVersion", "1.0.2"},
          {"process", process},
          {"root", {{"path", in.rootfs.string()}, {"readonly", in.read_only}}},
          {"hostname", in.hostname},
          {"mounts", mounts},
          {"linux", linux_}};
}

void apply_security_options(const std::vector<std::string>& options, RuntimeSpecInputs* in) {
  for (const std::string& o : options) {
    if (o == "seccomp=unconfined" || o == "seccomp:unconfined") {
      in->seccomp = false;
    } else if (o == "no-new-privileges" || o == "no-new-privileges=true" || o == "no-new-privileges:true") {
      in->no_new_privileges = true;
    } else if (o == "no-new-privileges=false" || o == "no-new-privileges:false") {
      in->no_new_privileges = false;
    } else if (o.starts_with("seccomp=") || o.starts_with("seccomp:")) {
      throw Error("invalid --security-opt: \"" + o + "\": seccomp profiles from files are not supported (seccomp=unconfined is)");
    } else {
      throw Error("invalid --security-opt: \"" + o + "\" (seccomp=unconfined and no-new-privileges are supported)");
    }
  }
}

}  // namespace berth
