// berth volume create|ls|inspect|rm|prune: Docker's volumes (engine/volumes.h),
// with Docker's flags, columns and messages.
#include <iostream>

#include "cli/command.h"
#include "cli/prune_output.h"
#include "cli/go_template.h"
#include "cli/input.h"
#include "cli/inspect_output.h"
#include "core/error.h"
#include "core/units.h"
#include "engine/volumes.h"

namespace berth {
namespace {

int create(Context& ctx, const Args& args) {
  require_args(args, 0, 1, "volume create");
  VolumeCreateOptions o;
  o.name = args.positional().empty() ? args.value("name") : args.positional()[0];
  o.driver = args.value("driver", "local");
  o.labels = key_value_flags(args.values("label"));
  o.options = key_value_flags(args.values("opt"));
  std::cout << create_volume(ctx.store(), o).name << "\n";
  return 0;
}

int ls(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "volume ls");
  std::vector<Json> rows;
  for (const Volume& v : list_volumes(ctx.store(), args.values("filter"))) {
    std::string labels;
    Json label_map = v.labels.is_object() ? v.labels : Json::object();
    for (const auto& [k, value] : label_map.items())
      labels += (labels.empty() ? "" : ",") + k + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    rows.push_back({{"Driver", "local"}, {"Name", v.name}, {"Scope", "local"}, {"Mountpoint", v.mountpoint.string()},
                    {"Labels", labels}});
  }
  if (args.flag("quiet")) {
    for (const Json& r : rows) std::cout << r["Name"].get<std::string>() << "\n";
    return 0;
  }
  std::string format = args.value("format", "table {{.Driver}}\t{{.Name}}");
  Json headers = {{"Driver", "DRIVER"}, {"Name", "VOLUME NAME"}, {"Scope", "SCOPE"}, {"Mountpoint", "MOUNTPOINT"},
                  {"Labels", "LABELS"}};
  std::cout << format_rows(format, rows, headers);
  return 0;
}

int inspect(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "volume inspect");
  return print_inspected(args.positional(), args.value("format"), "volume",
                         [&](const std::string& name) { return inspect_volume(find_volume(ctx.store(), name)); });
}

int rm(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "volume rm");
  int status = 0;
  for (const std::string& name : args.positional()) {
    try {
      remove_volume(ctx.store(), name);
      std::cout << name << "\n";
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::not_found && args.flag("force")) {
        std::cout << name << "\n";  // as Docker's -f: a missing volume is removed already
        continue;
      }
      std::cerr << "Error: " << (e.kind() == ErrorKind::not_found ? "No such volume: " + name : std::string(e.what()))
                << "\n";
      status = 1;
    }
  }
  return status;
}

int prune(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "volume prune");
  if (!args.flag("force") && !confirmed("WARNING! This will remove all local volumes not used by at least one container."))
    return 0;
  VolumePrune r = prune_volumes(ctx.store(), args.values("filter"));
  print_deleted("Deleted Volumes:", r.names);
  print_reclaimed(r.reclaimed);
  return 0;
}

}  // namespace

const Command kVolumeCreateCommand = {"volume create", "berth volume create [OPTIONS] [VOLUME]", "Create a volume",
                                      {{'d', "driver", true}, {0, "label", true}, {'o', "opt", true}, {0, "name", true}},
                                      create};
const Command kVolumeLsCommand = {"volume ls", "berth volume ls [OPTIONS]", "List volumes",
                                  {{'q', "quiet", false}, {'f', "filter", true}, {0, "format", true}}, ls};
const Command kVolumeInspectCommand = {"volume inspect", "berth volume inspect [OPTIONS] VOLUME [VOLUME...]",
                                       "Display detailed information on one or more volumes", {{'f', "format", true}},
                                       inspect};
const Command kVolumeRmCommand = {"volume rm", "berth volume rm [OPTIONS] VOLUME [VOLUME...]",
                                  "Remove one or more volumes", {{'f', "force", false}}, rm};
const Command kVolumePruneCommand = {"volume prune", "berth volume prune [OPTIONS]", "Remove all unused local volumes",
                                     {{'f', "force", false}, {0, "filter", true}}, prune};

}  // namespace berth
