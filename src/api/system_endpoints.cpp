#include "api/system_endpoints.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/platform.h"
#include "core/timestamp.h"
#include "core/version.h"
#include "api/summaries.h"
#include "engine/container_list.h"
#include "engine/image_list.h"
#include "engine/system.h"
#include "engine/volumes.h"
#include "runtime/container_create.h"
#include "runtime/oci_runtime.h"

namespace berth {

namespace {

std::string kernel_version() {
  utsname u{};
  return ::uname(&u) == 0 ? u.release : "";
}

// The CLI learns the server's API version and builder from these headers.
Reply ping(const ApiRequest&) {
  Reply r;
  r.headers["Content-Type"] = "text/plain; charset=utf-8";
  r.headers["Cache-Control"] = "no-cache, no-store, must-revalidate";
  r.headers["Pragma"] = "no-cache";
  r.headers["Builder-Version"] = "1";
  r.body = "OK";
  return r;
}

// moby's types.Version, the engine as its one component.
Reply version(const ApiRequest&) {
  Platform host = Platform::host();
  nlohmann::json details = {{"ApiVersion", kApiVersion}, {"Arch", host.architecture}, {"BuildTime", ""},
                            {"Experimental", "false"}, {"GitCommit", ""}, {"GoVersion", ""},
                            {"KernelVersion", kernel_version()}, {"MinAPIVersion", kMinApiVersion},
                            {"Os", host.os}};
  nlohmann::json v = {
      {"Platform", {{"Name", "berth"}}},
      {"Components", nlohmann::json::array({{{"Name", "Engine"}, {"Version", kBerthVersion}, {"Details", details}}})},
      {"Version", kBerthVersion}, {"ApiVersion", kApiVersion}, {"MinAPIVersion", kMinApiVersion},
      {"GitCommit", ""}, {"GoVersion", ""}, {"Os", host.os}, {"Arch", host.architecture},
      {"KernelVersion", kernel_version()}, {"BuildTime", ""}};
  return json_response(200, v.dump());
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

// moby's types.Info: the fields the CLI prints, with their Go types (a string
// where it wants a number fails the client's decoding).
Reply info(const std::filesystem::path& root, const ApiRequest&) {
  Store store(root);
  int running = 0, stopped = 0;
  std::vector<ContainerRecord> containers = list_containers(store, true, {});
  for (const ContainerRecord& c : containers) (c.state == "running" ? running : stopped)++;
  utsname u{};
  ::uname(&u);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string runtime = std::filesystem::path(OciRuntime::default_binary()).filename();
  nlohmann::json commit = {{"ID", ""}, {"Expected", ""}};
  nlohmann::json i = {
      {"ID", ""},
      {"Containers", containers.size()},
      {"ContainersRunning", running},
      {"ContainersPaused", 0},
      {"ContainersStopped", stopped},
      {"Images", store.images().list().size()},
      {"Driver", "overlay2"},
      {"DriverStatus", nlohmann::json::array({nlohmann::json::array({"Backing Filesystem", "extfs"}),
                                               nlohmann::json::array({"Supports d_type", "true"}),
                                               nlohmann::json::array({"Native Overlay Diff", "true"})})},
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
      {"RegistryConfig", {{"AllowNondistributableArtifactsCIDRs", nlohmann::json::array()},
                          {"AllowNondistributableArtifactsHostnames", nlohmann::json::array()},
                          {"InsecureRegistryCIDRs", {"127.0.0.0/8"}}, {"IndexConfigs", nlohmann::json::object()},
                          {"Mirrors", nlohmann::json::array()}}},
      {"NCPU", std::thread::hardware_concurrency()},
      {"MemTotal", total_memory()},
      {"GenericResources", nullptr},
      {"DockerRootDir", root.string()},
      {"HttpProxy", ""}, {"HttpsProxy", ""}, {"NoProxy", ""},
      {"Name", host},
      {"Labels", nlohmann::json::array()},
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
      {"Warnings", nlohmann::json::array()}};
  return json_response(200, i.dump());
}

// moby's types.DiskUsage: the items the docker CLI sums into `system df`'s
// rows. SharedSize is set so that its sum gives the engine's reclaimable
// bytes (engine/system.h: an image's attributed size).
Reply system_df(const std::filesystem::path& root, const ApiRequest&) {
  Store store(root);
  DiskUsage u = disk_usage(store);
  std::map<Digest, const ImageUsage*> image_usage;
  for (const ImageUsage& i : u.image_items) image_usage[i.id] = &i;
  Json images = Json::array();
  for (const ListedImage& listed : list_images(store, ImageFilters{}, false)) {
    Json s = image_summary(listed);
    auto it = image_usage.find(listed.facts.record.id);
    if (it != image_usage.end()) {
      s["Containers"] = it->second->containers;
      s["SharedSize"] = it->second->size - it->second->attributed;
    }
    images.push_back(s);
  }
  std::map<std::string, const ContainerUsage*> container_usage;
  for (const ContainerUsage& c : u.container_items) container_usage[c.id] = &c;
  Json containers = Json::array();
  for (const ContainerRecord& c : list_containers(store, true, {})) {
    Json s = container_summary(store, c);
    auto it = container_usage.find(c.id);
    s["SizeRw"] = it == container_usage.end() ? 0 : it->second->size;
    s["SizeRootFs"] = 0;
    containers.push_back(s);
  }
  std::map<std::string, const VolumeUsage*> volume_usage;
  for (const VolumeUsage& v : u.volume_items) volume_usage[v.name] = &v;
  Json volumes = Json::array();
  for (const Volume& v : list_volumes(store)) {
    Json s = inspect_volume(v);
    auto it = volume_usage.find(v.name);
    s["UsageData"] = {{"RefCount", it == volume_usage.end() ? 0 : it->second->containers},
                      {"Size", it == volume_usage.end() ? 0 : it->second->size}};
    volumes.push_back(s);
  }
  Json cache = Json::array();
  for (const CacheUsage& c : u.cache_items)
    cache.push_back({{"ID", c.id}, {"Parent", ""}, {"Type", c.cache_mount ? "exec.cachemount" : "regular"},
                     {"Description", c.cache_mount ? "a RUN --mount=type=cache directory" : "a build step"},
                     {"InUse", false}, {"Shared", false}, {"Size", c.size}, {"CreatedAt", "0001-01-01T00:00:00Z"},
                     {"LastUsedAt", nullptr}, {"UsageCount", 0}});
  return json_response(200, Json{{"LayersSize", u.images.size}, {"Images", images}, {"Containers", containers},
                                 {"Volumes", volumes}, {"BuildCache", cache}, {"BuilderSize", u.build_cache.size}});
}

}  // namespace

void add_system_endpoints(ApiRouter& router, const std::filesystem::path& root) {
  router.add("GET", "/_ping", ping);
  router.add("GET", "/version", version);
  router.add("GET", "/info", [root](const ApiRequest& r) { return info(root, r); });
  router.add("GET", "/system/df", [root](const ApiRequest& r) { return system_df(root, r); });
}

}  // namespace berth
