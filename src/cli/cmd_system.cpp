// berth system df and berth system check.
#include <iostream>
#include <set>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "cli/units.h"
#include "archive/store_check.h"
#include "build/run_step.h"

namespace berth {
namespace {

int run_df(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system df");
  Store& store = ctx.store();
  int64_t images = 0, size = 0;
  std::set<Digest> seen;
  for (const ImageRecord& img : store.images().list()) {
    ++images;
    if (!img.top_layer) continue;
    for (const LayerInfo& l : store.layers().stack(*img.top_layer))
      if (seen.insert(l.chain_id).second) size += l.size;
  }
  // No containers use images yet, so all of it is reclaimable.
  std::string reclaim = human_size(static_cast<double>(size), 4) + (size ? " (100%)" : "");
  std::vector<std::string> lines = {
      "TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE",
      "Images\t" + std::to_string(images) + "\t0\t" + human_size(static_cast<double>(size), 4) + "\t" + reclaim,
      "Containers\t0\t0\t0B\t0B",
      "Local Volumes\t0\t0\t0B\t0B",
      "Build Cache\t0\t0\t0B\t0B"};
  std::cout << tabwrite(lines);
  return 0;
}

int run_check(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system check");
  Store& store = ctx.store(Store::Lock::kExclusive);
  // RUN steps of a killed build first: their processes keep their roots busy.
  std::vector<std::string> steps = remove_leftover_build_steps(store);
  CheckReport r = check_store(store);
  for (const std::string& id : steps) std::cout << "repaired: removed leftover build step " << id << "\n";
  for (const std::string& line : r.repaired) std::cout << "repaired: " << line << "\n";
  for (const std::string& line : r.problems) std::cout << "problem: " << line << "\n";
  std::cout << r.images << " images, " << r.layers << " layers, " << r.blobs << " blobs checked: "
            << (r.problems.empty() ? "store is consistent" : std::to_string(r.problems.size()) + " problems") << "\n";
  return r.problems.empty() ? 0 : 1;
}

}  // namespace

const Command kSystemDfCommand = {"system df", "berth system df", "Show berth disk usage", {}, run_df};
const Command kSystemCheckCommand = {"system check", "berth system check",
                                     "Verify the store and remove what interrupted commands left", {}, run_check};

}  // namespace berth
