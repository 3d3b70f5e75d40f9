#include "engine/system_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/platform.h"
#include "core/timestamp.h"
#include "core/version.h"
#include "engine/container_list.h"
#include "runtime/container_create.h"
#include "runtime/oci_runtime.h"

namespace berth {

namespace {

std::string kernel_version() {
  utsname u{};
  return ::uname(&u) == 0 ? u.release : "";
}

std::string os_release_name() {
  std::ifstream in("/etc/os-release");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("PRETTY_NAME=")) {
      std::string v = line.substr(12);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  return "Linux";
}

bool sysctl_on(const std::string& name) {
  std::ifstream in("/proc/sys/" + name);
  int v = 0;
  return in >> v && v == 1;
}

int64_t total_memory() {
  long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? static_cast<int64_t>(pages) * size : 0;
}

}  // namespace

// moby's types.Version, the engine as its one component.
Json engine_version() {
  Platform host = Platform::host();
  Json details = {{"ApiVersion", kApiVersion}, {"Arch", host.architecture}, {"BuildTime", ""},
                            {"Experimental", "false"}, {"GitCommit", ""}, {"GoVersion", ""},
                            {"KernelVersion", kernel_version()}, {"MinAPIVersion", kMinApiVersion},
                            {"Os", host.os}};
  Json v = {
      {"Platform", {{"Name", "berth"}}},
      {"Components", Json::array({{{"Name", "Engine"}, {"Version", kBerthVersion}, {"Details", details}}})},
      {"Version", kBerthVersion}, {"ApiVersion", kApiVersion}, {"MinAPIVersion", kMinApiVersion},
      {"GitCommit", ""}, {"GoVersion", ""}, {"Os", host.os}, {"Arch", host.architecture},
      {"KernelVersion", kernel_version()}, {"BuildTime", ""}};
  return v;
}

// moby's types.Info: the fields the CLI prints, with their Go types (a string
// where it wants a number fails the client's decoding).
Json engine_info(Store& store) {
  int running = 0, paused = 0, stopped = 0;
  std::vector<ContainerRecord> containers = list_containers(store, true, {});
  for (const ContainerRecord& c : containers) (c.state != "running" ? stopped : c.paused ? paused : running)++;
  utsname u{};
  ::uname(&u);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string runtime = std::filesystem::path(OciRuntime::default_binary()).filename();
  Json commit = {{"ID", ""}, {"Expected", ""}};
  Json i = {
      {"ID", ""},
      {"Containers", containers.size()},
      {"ContainersRunning", running},
      {"ContainersPaused", paused},
      {"ContainersStopped", stopped},
      {"Images", store.images().list().size()},
      {"Driver", "overlay2"},
      {"DriverStatus", Json::array({Json::array({"Backing Filesystem", "extfs"}),
                                               Json::array({"Supports d_type", "true"}),
                                               Json::array({"Native Overlay Diff", "true"})})},
      {"Plugins", {{"Volume", {"local"}}, {"Network", {"bridge", "host", "null"}}, {"Authorization", nullptr},
                   {"Log", {"json-file"}}}},
      {"MemoryLimit", true}, {"SwapLimit", std::filesystem::exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")}, {"KernelMemory", false}, {"KernelMemoryTCP", false},
      {"CpuCfsPeriod", true}, {"CpuCfsQuota", true}, {"CPUShares", true}, {"CPUSet", true}, {"PidsLimit", true},
      {"IPv4Forwarding", true}, {"BridgeNfIptables", sysctl_on("net/bridge/bridge-nf-call-iptables")},
      {"BridgeNfIp6tables", sysctl_on("net/bridge/bridge-nf-call-ip6tables")},
      {"Debug", false}, {"NFd", 0}, {"OomKillDisable", true}, {"NGoroutines", 0},
      {"SystemTime", rfc3339_nano(now_unix_nanos())},
      {"LoggingDriver", "json-file"},
      {"CgroupDriver", "cgroupfs"},
      {"CgroupVersion", "1"},
      {"NEventsListener", 0},
      {"KernelVersion", u.release},
      {"OperatingSystem", os_release_name()},
      {"OSVersion", ""},
      {"OSType", "linux"},
      {"Architecture", u.machine},
      {"IndexServerAddress", "https://index.docker.io/v1/"},
      {"RegistryConfig", {{"AllowNondistributableArtifactsCIDRs", Json::array()},
                          {"AllowNondistributableArtifactsHostnames", Json::array()},
                          {"InsecureRegistryCIDRs", {"127.0.0.0/8"}}, {"IndexConfigs", Json::object()},
                          {"Mirrors", Json::array()}}},
      {"NCPU", std::thread::hardware_concurrency()},
      {"MemTotal", total_memory()},
      {"GenericResources", nullptr},
      {"DockerRootDir", store.root().string()},
      {"HttpProxy", ""}, {"HttpsProxy", ""}, {"NoProxy", ""},
      {"Name", host},
      {"Labels", Json::array()},
      {"ExperimentalBuild", false},
      {"ServerVersion", kBerthVersion},
      {"Runtimes", {{runtime, {{"path", runtime}}}}},
      {"DefaultRuntime", runtime},
      {"Swarm", {{"NodeID", ""}, {"NodeAddr", ""}, {"LocalNodeState", "inactive"}, {"ControlAvailable", false},
                 {"Error", ""}, {"RemoteManagers", nullptr}}},
      {"LiveRestoreEnabled", true},  // containers outlive every berth process
      {"Isolation", ""},
      {"InitBinary", init_binary()},
      {"ContainerdCommit", commit}, {"RuncCommit", commit}, {"InitCommit", commit},
      {"SecurityOptions", {"name=seccomp,profile=default"}},
      {"Warnings", Json::array()}};
  return i;
}

}  // namespace berth
