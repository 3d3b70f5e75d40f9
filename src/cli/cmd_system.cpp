// berth system df, berth system prune and berth system check.
#include <iostream>

#include "cli/command.h"
#include "cli/go_template.h"
#include "cli/input.h"
#include "cli/prune_output.h"
#include "core/units.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "engine/networks.h"
#include "engine/system.h"
#include "engine/volumes.h"

namespace berth {
namespace {

// "SIZE (N%)" as Docker prints a reclaimable size: the share of `total` it is, when there is any.
std::string reclaimable(int64_t bytes, int64_t total) {
  std::string out = human_size(static_cast<double>(bytes), 4);
  if (total > 0) out += " (" + std::to_string(bytes * 100 / total) + "%)";
  return out;
}

std::string row(const std::string& type, const UsageRow& r, const std::string& reclaim) {
  return type + "\t" + std::to_string(r.total) + "\t" + std::to_string(r.active) + "\t" +
         human_size(static_cast<double>(r.size), 4) + "\t" + reclaim;
}

int run_df(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system df");
  DiskUsage u = disk_usage(ctx.store());
  std::vector<std::string> lines = {
      "TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE",
      row("Images", u.images, reclaimable(u.images.reclaimable, u.images.size)),
      row("Containers", u.containers, reclaimable(u.containers.reclaimable, u.containers.size)),
      row("Local Volumes", u.volumes, reclaimable(u.volumes.reclaimable, u.volumes.size)),
      row("Build Cache", u.build_cache, human_size(static_cast<double>(u.build_cache.size), 4))};
  std::cout << tabwrite(lines);
  return 0;
}

// docker system prune: containers, networks, (--volumes) volumes, images
// (dangling, or with -a every unused one) and the build cache, in docker/cli's
// order, each with its own report, then the total.
int run_prune(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system prune");
  bool all = args.flag("all"), volumes = args.flag("volumes");
  std::string warning = "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n";
  if (volumes) warning += "  - all volumes not used by at least one container\n";
  warning += all ? "  - all images without at least one container associated to them\n  - all build cache\n"
                 : "  - all dangling images\n  - all dangling build cache\n";
  if (!args.flag("force") && !confirmed(warning)) return 0;
  Store& store = ctx.store();
  int64_t reclaimed = 0;
  print_deleted("Deleted Containers:", prune_containers(store));
  print_deleted("Deleted Networks:", prune_networks(store));
  if (volumes) {
    VolumePrune v = prune_volumes(store);
    print_deleted("Deleted Volumes:", v.names);
    reclaimed += v.reclaimed;
  }
  Removal images = prune_images(store, PruneImagesOptions{all});
  print_deleted("Deleted Images:", image_prune_lines(images.lines));
  reclaimed += images.reclaimed + prune_build_cache(store);
  print_reclaimed(reclaimed);
  return 0;
}

int run_check(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system check");
  SystemCheckReport report = system_check(ctx.store(Store::Lock::kExclusive));
  const CheckReport& r = report.store;
  for (const std::string& id : report.removed_build_steps) std::cout << "repaired: removed leftover build step " << id << "\n";
  for (const std::string& name : report.released_containers)
    std::cout << "repaired: released container " << name << " (its monitor was killed)\n";
  for (const std::string& line : r.repaired) std::cout << "repaired: " << line << "\n";
  for (const std::string& line : r.problems) std::cout << "problem: " << line << "\n";
  std::cout << r.images << " images, " << r.layers << " layers, " << r.blobs << " blobs checked: "
            << (r.problems.empty() ? "store is consistent" : std::to_string(r.problems.size()) + " problems") << "\n";
  return r.problems.empty() ? 0 : 1;
}

}  // namespace

const Command kSystemDfCommand = {"system df", "berth system df", "Show berth disk usage", {}, run_df};
const Command kSystemPruneCommand = {"system prune", "berth system prune [OPTIONS]", "Remove unused data",
                                     {{'a', "all", false}, {0, "volumes", false}, {'f', "force", false}}, run_prune};
const Command kSystemCheckCommand = {"system check", "berth system check",
                                     "Verify the store and remove what interrupted commands left", {}, run_check};

}  // namespace berth
