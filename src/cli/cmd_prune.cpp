// berth image prune [-a] [-f]: delete dangling (or, with -a, all) images.
#include <iostream>
#include <string>

#include "cli/command.h"
#include "cli/input.h"
#include "core/error.h"
#include "engine/images.h"
#include "core/units.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "image prune");
  bool all = args.flag("all");
  if (!args.flag("force") &&
      !confirmed(all ? "WARNING! This will remove all images without at least one container associated to them."
                     : "WARNING! This will remove all dangling images."))
    return 0;
  Removal total = prune_images(ctx.store(), PruneImagesOptions{all});
  if (!total.lines.empty()) {
    std::cout << "Deleted Images:\n";
    for (std::string line : total.lines) {
      line[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[0])));
      std::cout << line << "\n";
    }
    std::cout << "\n";
  }
  std::cout << "Total reclaimed space: " << human_size(static_cast<double>(total.reclaimed), 4) << "\n";
  return 0;
}

}  // namespace

const Command kImagePruneCommand = {"image prune", "berth image prune [OPTIONS]", "Remove unused images",
                                    {{'a', "all", false}, {'f', "force", false}}, run};

}  // namespace berth
