// berth logs [-f] [-t] [--tail N] [--since WHEN] CONTAINER: its output, from the json-file log.
#include <fcntl.h>

#include <iostream>
#include <thread>

#include "cli/command.h"
#include "cli/container_output.h"
#include "cli/usage_error.h"
#include "core/fs.h"
#include "core/number.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_paths.h"

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
    std::optional<int64_t> n = try_parse_int(tail);
    if (!n) throw UsageError("invalid value for --tail: " + tail);
    options.tail = *n;
  }
  UniqueFd fd = open_container_log(store, c.id);
  if (fd.get() < 0) return 0;  // never started
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
