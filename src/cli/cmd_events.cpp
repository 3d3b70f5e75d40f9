// berth events [--since T] [--until T] [--filter K=V] [--format F] (and
// system events): the events every berth process logged, as `docker events`
// prints them; without --until it follows until interrupted.
#include <ctime>
#include <iostream>
#include <vector>

#include "cli/command.h"
#include "cli/container_output.h"
#include "cli/go_template.h"
#include "engine/events.h"

namespace berth {
namespace {

// Go's "2006-01-02T15:04:05.000000000Z07:00" in UTC: nine digits always.
std::string fixed_nano_time(int64_t nanos) {
  time_t secs = static_cast<time_t>(nanos / 1000000000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos % 1000000000));
  return std::string(buf) + frac + "Z";
}

std::string line_of(const Json& e) {
  std::string out = fixed_nano_time(e.value("timeNano", int64_t{0})) + " " + e.value("Type", "") + " " +
                    e.value("Action", "") + " " + e["Actor"].value("ID", "");
  nlohmann::json attrs = nlohmann::json::parse(e["Actor"].value("Attributes", Json::object()).dump());  // sorted keys
  if (!attrs.empty()) {
    std::string joined;
    for (const auto& [k, v] : attrs.items()) joined += (joined.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    out += " (" + joined + ")";
  }
  return out;
}

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "events");
  EventQuery q;
  if (args.has("since")) q.since_ns = parse_since(args.value("since"));
  if (args.has("until")) q.until_ns = parse_since(args.value("until"));
  q.filters = args.values("filter");
  std::string format = args.value("format");
  std::optional<GoTemplate> tmpl;
  if (!format.empty()) tmpl.emplace(format);
  stream_events(ctx.store(), q, [&](const Json& e) {
    std::cout << (tmpl ? tmpl->render(e) : line_of(e)) << "\n" << std::flush;
  }, [] { return !std::cout; });
  return 0;
}

}  // namespace

const Command kEventsCommand = {"events", "berth events [OPTIONS]", "Get real time events from berth",
                                {{0, "since", true}, {0, "until", true}, {'f', "filter", true}, {0, "format", true}},
                                run};

}  // namespace berth
