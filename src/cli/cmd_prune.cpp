// berth image prune [-a] [-f]: delete dangling (or, with -a, all) images.
#include <string>

#include "cli/command.h"
#include "cli/input.h"
#include "cli/prune_output.h"
#include "core/error.h"
#include "engine/images.h"

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
  print_deleted("Deleted Images:", image_prune_lines(total.lines));
  print_reclaimed(total.reclaimed);
  return 0;
}

}  // namespace

const Command kImagePruneCommand = {"image prune", "berth image prune [OPTIONS]", "Remove unused images",
                                    {{'a', "all", false}, {'f', "force", false}}, run};

}  // namespace berth
