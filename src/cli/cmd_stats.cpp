// berth stats [-a] [--no-stream] [--no-trunc] [--format F] [CONTAINER...]: the
// containers' CPU, memory, network, block I/O and PIDs, computed from two
// samples a second apart (runtime/container_stats.h) as docker/cli computes
// them from the API's StatsJSON — the same columns, the same arithmetic.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/command.h"
#include "cli/go_template.h"
#include "core/units.h"
#include "engine/container_list.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_stats.h"

namespace berth {
namespace {

uint64_t u64(const Json& j, const char* key) { return j.is_object() && j.contains(key) ? j[key].get<uint64_t>() : 0; }

// docker/cli's calculateCPUPercentUnix, calculateBlockIO, the cache-less memory
// use of calculateMemUsageUnixNoCache and calculateNetwork.
Json stats_row(const Json& s, const std::string& asked_as, bool no_trunc) {
  double cpu = 0;
  double cpu_delta = static_cast<double>(u64(s["cpu_stats"]["cpu_usage"], "total_usage")) -
                     static_cast<double>(u64(s["precpu_stats"]["cpu_usage"], "total_usage"));
  double system_delta = static_cast<double>(u64(s["cpu_stats"], "system_cpu_usage")) -
                        static_cast<double>(u64(s["precpu_stats"], "system_cpu_usage"));
  double online = static_cast<double>(u64(s["cpu_stats"], "online_cpus"));
  if (online == 0 && s["cpu_stats"]["cpu_usage"].contains("percpu_usage"))
    online = static_cast<double>(s["cpu_stats"]["cpu_usage"]["percpu_usage"].size());
  if (system_delta > 0 && cpu_delta > 0) cpu = cpu_delta / system_delta * online * 100.0;
  double read = 0, written = 0;
  Json io = s["blkio_stats"].value("io_service_bytes_recursive", Json::array());
  for (const Json& e : io.is_array() ? io : Json::array()) {
    std::string op = e.value("op", "");
    for (char& ch : op) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (op == "read") read += e.value("value", 0.0);
    if (op == "write") written += e.value("value", 0.0);
  }
  const Json& mem = s["memory_stats"];
  uint64_t usage = u64(mem, "usage");
  Json mstats = mem.is_object() ? mem.value("stats", Json::object()) : Json::object();
  double used = static_cast<double>(usage);
  if (mstats.contains("total_inactive_file")) {
    if (mstats["total_inactive_file"].get<uint64_t>() < usage) used = static_cast<double>(usage - mstats["total_inactive_file"].get<uint64_t>());
  } else if (u64(mstats, "inactive_file") < usage) {
    used = static_cast<double>(usage - u64(mstats, "inactive_file"));
  }
  double limit = static_cast<double>(u64(mem, "limit"));
  double rx = 0, tx = 0;
  Json networks = s.value("networks", Json::object());
  for (const auto& [name, n] : networks.items()) {
    rx += n.value("rx_bytes", 0.0);
    tx += n.value("tx_bytes", 0.0);
  }
  char buf[64];
  auto percent = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.2f%%", v);
    return std::string(buf);
  };
  std::string id = s.value("id", "");
  std::string name = s.value("name", "");
  return {{"ID", no_trunc ? id : id.substr(0, 12)},
          {"Container", asked_as.empty() ? id.substr(0, 12) : asked_as},
          {"Name", name.size() > 1 ? name.substr(1) : "--"},
          {"CPUPerc", percent(cpu)},
          {"MemUsage", bytes_size(used) + " / " + bytes_size(limit)},
          {"MemPerc", percent(limit != 0 ? used / limit * 100.0 : 0)},
          {"NetIO", human_size(rx, 3) + " / " + human_size(tx, 3)},
          {"BlockIO", human_size(read, 3) + " / " + human_size(written, 3)},
          {"PIDs", std::to_string(u64(s["pids_stats"], "current"))}};
}

std::vector<ContainerRecord> chosen(Context& ctx, const Args& args) {
  Store& store = ctx.store();
  if (args.positional().empty()) return list_containers(store, args.flag("all"), {});
  std::vector<ContainerRecord> out;
  for (const std::string& ref : args.positional()) out.push_back(refresh_container(store, store.containers().find(ref)));
  return out;
}

int run(Context& ctx, const Args& args) {
  std::vector<ContainerRecord> containers = chosen(ctx, args);
  std::string format =
      args.value("format", "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}");
  Json headers = {{"ID", "CONTAINER ID"}, {"Container", "CONTAINER"}, {"Name", "NAME"}, {"CPUPerc", "CPU %"},
                  {"MemUsage", "MEM USAGE / LIMIT"}, {"MemPerc", "MEM %"}, {"NetIO", "NET I/O"},
                  {"BlockIO", "BLOCK I/O"}, {"PIDs", "PIDS"}};
  std::vector<Json> previous;
  for (const ContainerRecord& c : containers) previous.push_back(container_stats_sample(c));
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    std::vector<Json> rows;
    for (size_t i = 0; i < containers.size(); ++i) {
      std::optional<ContainerRecord> now = ctx.store().containers().get(containers[i].id);
      Json sample = container_stats_sample(now ? refresh_container(ctx.store(), *now) : containers[i]);
      std::string asked_as = args.positional().empty() ? "" : args.positional()[i];
      rows.push_back(stats_row(stats_with_previous(sample, previous[i]), asked_as, args.flag("no-trunc")));
      previous[i] = sample;
    }
    if (!args.flag("no-stream")) std::cout << "\033[2J\033[H";  // docker/cli redraws the screen
    std::cout << format_rows(format, rows, headers) << std::flush;
    if (args.flag("no-stream")) return 0;
  }
}

}  // namespace

const Command kStatsCommand = {"stats", "berth stats [OPTIONS] [CONTAINER...]",
                               "Display a live stream of container(s) resource usage statistics",
                               {{'a', "all", false}, {0, "no-stream", false}, {0, "no-trunc", false}, {0, "format", true}},
                               run};

}  // namespace berth
