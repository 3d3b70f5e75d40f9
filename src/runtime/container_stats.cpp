#include "runtime/container_stats.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/ascii_space.h"
#include "core/fs.h"
#include "core/number.h"
#include "core/timestamp.h"

namespace berth {
namespace {

namespace fs = std::filesystem;
constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

// The directory of each controller ("memory", "cpuacct", … and "" for the v2
// tree) the process is in.
std::map<std::string, fs::path> cgroup_dirs(int pid) {
  std::map<std::string, fs::path> dirs;
  std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
  bool pure_v2 = fs::exists("/sys/fs/cgroup/cgroup.controllers");
  for (std::string line; std::getline(in, line);) {
    size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (controllers.empty()) {
      dirs[""] = fs::path(pure_v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified") / path.substr(1);
      continue;
    }
    std::istringstream names(controllers);
    for (std::string name; std::getline(names, name, ',');) dirs[name] = fs::path("/sys/fs/cgroup") / name / path.substr(1);
  }
  return dirs;
}

// What moby sends for a container with nothing measured.
Json zero_cpu_stats() {
  return {{"cpu_usage", {{"total_usage", 0}, {"usage_in_kernelmode", 0}, {"usage_in_usermode", 0}}},
          {"throttling_data", {{"periods", 0}, {"throttled_periods", 0}, {"throttled_time", 0}}}};
}

std::string read_or_empty(const fs::path& p) {
  try {
    return read_file(p);
  } catch (const std::exception&) {
    return "";
  }
}

uint64_t read_number(const fs::path& p) { return static_cast<uint64_t>(try_parse_int(trim_ascii_space(read_or_empty(p))).value_or(0)); }

// "key value" lines (memory.stat, cpu.stat, cpuacct.stat).
std::map<std::string, uint64_t> read_key_values(const fs::path& p) {
  std::map<std::string, uint64_t> out;
  std::istringstream in(read_or_empty(p));
  std::string key;
  for (uint64_t value; in >> key >> value;) out[key] = value;
  return out;
}

// The host's busy and idle time, in ns, as moby's getSystemCPUUsage sums it.
uint64_t system_cpu_usage() {
  std::istringstream in(read_or_empty("/proc/stat"));
  std::string cpu;
  in >> cpu;
  uint64_t ticks = 0, v = 0;
  for (int i = 0; i < 7 && in >> v; ++i) ticks += v;
  return ticks * (1000000000 / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK)));
}

Json cpu_stats(const std::map<std::string, fs::path>& dirs) {
  Json usage = {{"total_usage", 0}, {"usage_in_kernelmode", 0}, {"usage_in_usermode", 0}};
  Json throttling = {{"periods", 0}, {"throttled_periods", 0}, {"throttled_time", 0}};
  uint64_t online = static_cast<uint64_t>(::sysconf(_SC_NPROCESSORS_ONLN));
  if (dirs.contains("cpuacct")) {
    const fs::path& d = dirs.at("cpuacct");
    usage["total_usage"] = read_number(d / "cpuacct.usage");
    Json percpu = Json::array();
    std::istringstream in(read_or_empty(d / "cpuacct.usage_percpu"));
    for (uint64_t v; in >> v;) percpu.push_back(v);
    usage["percpu_usage"] = percpu;
    std::map<std::string, uint64_t> stat = read_key_values(d / "cpuacct.stat");
    uint64_t tick_ns = 1000000000 / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
    usage["usage_in_usermode"] = stat["user"] * tick_ns;
    usage["usage_in_kernelmode"] = stat["system"] * tick_ns;
  } else if (dirs.contains("")) {
    std::map<std::string, uint64_t> stat = read_key_values(dirs.at("") / "cpu.stat");
    usage["total_usage"] = stat["usage_usec"] * 1000;
    usage["usage_in_usermode"] = stat["user_usec"] * 1000;
    usage["usage_in_kernelmode"] = stat["system_usec"] * 1000;
    throttling = {{"periods", stat["nr_periods"]}, {"throttled_periods", stat["nr_throttled"]},
                  {"throttled_time", stat["throttled_usec"] * 1000}};
  }
  return {{"cpu_usage", usage}, {"system_cpu_usage", system_cpu_usage()}, {"online_cpus", online},
          {"throttling_data", throttling}};
}

// A limit above the machine's memory (none was set) is the machine's, as moby reports it.
Json memory_stats(const std::map<std::string, fs::path>& dirs) {
  uint64_t machine = static_cast<uint64_t>(::sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  Json stats = Json::object();
  if (dirs.contains("memory")) {
    const fs::path& d = dirs.at("memory");
    for (const auto& [k, v] : read_key_values(d / "memory.stat")) stats[k] = v;
    Json m = {{"usage", read_number(d / "memory.usage_in_bytes")}, {"max_usage", read_number(d / "memory.max_usage_in_bytes")},
              {"stats", stats}};
    if (uint64_t failcnt = read_number(d / "memory.failcnt")) m["failcnt"] = failcnt;  // omitempty
    m["limit"] = std::min(read_number(d / "memory.limit_in_bytes"), machine);
    return m;
  }
  if (!dirs.contains("")) return Json::object();
  const fs::path& d = dirs.at("");
  for (const auto& [k, v] : read_key_values(d / "memory.stat")) stats[k] = v;
  std::string max = trim_ascii_space(read_or_empty(d / "memory.max"));
  uint64_t limit = max == "max" || max.empty() ? machine : std::min(read_number(d / "memory.max"), machine);
  return {{"usage", read_number(d / "memory.current")}, {"stats", stats}, {"limit", limit}};
}

Json pids_stats(const std::map<std::string, fs::path>& dirs) {
  auto it = dirs.find("pids");
  fs::path d = it != dirs.end() ? it->second : dirs.contains("") ? dirs.at("") : fs::path();
  if (d.empty()) return Json::object();
  Json out = {{"current", read_number(d / "pids.current")}};
  if (std::string max = trim_ascii_space(read_or_empty(d / "pids.max")); !max.empty() && max != "max") out["limit"] = read_number(d / "pids.max");
  return out;
}

// blkio's io_service_bytes as moby lists it: {major, minor, op, value}.
Json blkio_stats(const std::map<std::string, fs::path>& dirs) {
  Json bytes = Json::array();
  if (dirs.contains("blkio")) {
    const fs::path& d = dirs.at("blkio");
    std::string text = read_or_empty(d / "blkio.io_service_bytes_recursive");
    if (text.find(':') == std::string::npos) text = read_or_empty(d / "blkio.throttle.io_service_bytes_recursive");
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      std::istringstream f(line);
      std::string dev, op;
      uint64_t value = 0;
      unsigned major = 0, minor = 0;
      if (!(f >> dev >> op >> value) || std::sscanf(dev.c_str(), "%u:%u", &major, &minor) != 2) continue;
      bytes.push_back({{"major", major}, {"minor", minor}, {"op", op}, {"value", value}});
    }
  } else if (dirs.contains("")) {
    std::istringstream in(read_or_empty(dirs.at("") / "io.stat"));
    for (std::string line; std::getline(in, line);) {
      std::istringstream f(line);
      std::string dev;
      unsigned major = 0, minor = 0;
      if (!(f >> dev) || std::sscanf(dev.c_str(), "%u:%u", &major, &minor) != 2) continue;
      for (std::string kv; f >> kv;) {
        if (kv.starts_with("rbytes=")) bytes.push_back({{"major", major}, {"minor", minor}, {"op", "read"}, {"value", std::stoull(kv.substr(7))}});
        if (kv.starts_with("wbytes=")) bytes.push_back({{"major", major}, {"minor", minor}, {"op", "write"}, {"value", std::stoull(kv.substr(7))}});
      }
    }
  }
  // Lists for a running container (what berth does not count stays empty), null for a stopped one.
  Json none = dirs.empty() ? Json(nullptr) : Json::array();
  return {{"io_service_bytes_recursive", dirs.empty() ? none : bytes}, {"io_serviced_recursive", none},
          {"io_queue_recursive", none}, {"io_service_time_recursive", none}, {"io_wait_time_recursive", none},
          {"io_merged_recursive", none}, {"io_time_recursive", none}, {"sectors_recursive", none}};
}

// Every interface of the container's network namespace but lo, from its /proc/net/dev.
Json networks(int pid) {
  Json out = Json::object();
  std::ifstream in("/proc/" + std::to_string(pid) + "/net/dev");
  std::string line;
  for (int skip = 0; skip < 2 && std::getline(in, line); ++skip) {
  }
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = trim_ascii_space(line.substr(0, colon));
    if (name == "lo") continue;
    std::istringstream f(line.substr(colon + 1));
    uint64_t v[16] = {};
    for (uint64_t& x : v) f >> x;
    out[name] = {{"rx_bytes", v[0]}, {"rx_packets", v[1]}, {"rx_errors", v[2]}, {"rx_dropped", v[3]},
                 {"tx_bytes", v[8]}, {"tx_packets", v[9]}, {"tx_errors", v[10]}, {"tx_dropped", v[11]}};
  }
  return out;
}

}  // namespace

Json container_stats_sample(const ContainerRecord& c) {
  Json s = Json::object();
  bool running = c.state == "running" && c.pid > 0;
  std::map<std::string, fs::path> dirs = running ? cgroup_dirs(c.pid) : std::map<std::string, fs::path>{};
  s["read"] = running ? rfc3339_nano(now_unix_nanos()) : kZeroTime;
  s["pids_stats"] = running ? pids_stats(dirs) : Json::object();
  s["blkio_stats"] = running ? blkio_stats(dirs) : blkio_stats({});
  s["num_procs"] = 0;
  s["storage_stats"] = Json::object();
  s["cpu_stats"] = running ? cpu_stats(dirs) : zero_cpu_stats();
  s["memory_stats"] = running ? memory_stats(dirs) : Json::object();
  s["name"] = "/" + c.name;
  s["id"] = c.id;
  if (Json n = running ? networks(c.pid) : Json::object(); !n.empty()) s["networks"] = n;  // omitted when empty, as moby
  return s;
}

Json stats_with_previous(Json now, const Json& previous) {
  // moby's order: preread right after read, precpu_stats right after cpu_stats.
  bool have = previous.is_object();
  Json out = Json::object();
  for (auto& [key, value] : now.items()) {
    out[key] = value;
    if (key == "read") out["preread"] = have ? previous["read"] : Json(kZeroTime);
    if (key == "cpu_stats") out["precpu_stats"] = have ? previous["cpu_stats"] : zero_cpu_stats();
  }
  return out;
}

}  // namespace berth
