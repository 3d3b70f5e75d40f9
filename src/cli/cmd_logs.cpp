// berth logs [-f] [-t] [--tail N] [--since WHEN] CONTAINER: its output, from the json-file log.
#include "cli/command.h"
#include "cli/container_output.h"
#include "cli/usage_error.h"
#include "core/number.h"
#include "engine/container_logs.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "logs");
  LogQuery query;
  query.since_ns = parse_since(args.value("since"));
  std::string tail = args.value("tail", "all");
  if (tail != "all") {
    std::optional<int64_t> n = try_parse_int(tail);
    if (!n) throw UsageError("invalid value for --tail: " + tail);
    query.tail = *n;
  }
  bool timestamps = args.flag("timestamps");
  read_container_logs(ctx.store(), args.positional()[0], query, args.flag("follow"),
                      [&](const std::vector<LogEntry>& entries) { print_log_entries(entries, timestamps); });
  return 0;
}

}  // namespace

const Command kLogsCommand = {"logs", "berth logs [OPTIONS] CONTAINER", "Fetch the logs of a container",
                              {{'f', "follow", false}, {'t', "timestamps", false}, {'n', "tail", true}, {0, "since", true}}, run};

}  // namespace berth
