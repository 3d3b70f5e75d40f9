// berth logs [-f] [-t] [--tail N] [--since WHEN] CONTAINER: its output, from the json-file log.
#include <fcntl.h>

#include <iostream>
#include <thread>

#include "cli/command.h"
#include "cli/container_output.h"
#include "cli/usage_error.h"
#include "core/fs.h"
#include "runtime/container_lifecycle.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "logs");
  Store& store = ctx.store();
  ContainerRecord c = store.containers().find(args.positional()[0]);
  LogPrintOptions options;
  options.timestamps = args.flag("timestamps");
  options.since = parse_since(args.value("since"));
  std::string tail = args.value("tail", "all");
  if (tail != "all") {
    try {
      options.tail = std::stoll(tail);
    } catch (...) {
      throw UsageError("invalid value for --tail: " + tail);
    }
  }
  std::filesystem::path path = store.container_dir(c.id) / (c.id + "-json.log");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;  // never started
  UniqueFd fd = open_or_throw(path, O_RDONLY | O_CLOEXEC);
  std::string carry;
  print_log_entries(fd.get(), options, &carry);
  if (!args.flag("follow")) return 0;
  options.tail = -1;
  for (;;) {
    std::optional<ContainerRecord> now = store.containers().get(c.id);
    bool running = now && refresh_container(store, *now).state == "running";
    print_log_entries(fd.get(), options, &carry);
    if (!running) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

const Command kLogsCommand = {"logs", "berth logs [OPTIONS] CONTAINER", "Fetch the logs of a container",
                              {{'f', "follow", false}, {'t', "timestamps", false}, {'n', "tail", true}, {0, "since", true}}, run};

}  // namespace berth
