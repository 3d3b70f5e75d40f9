// berth image prune [-a] [-f]: delete dangling (or, with -a, all) images.
#include <iostream>
#include <string>

#include "cli/command.h"
#include "cli/input.h"
#include "core/error.h"
#include "cli/image_removal.h"
#include "cli/units.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "image prune");
  bool all = args.flag("all");
  if (!args.flag("force") &&
      !confirmed(all ? "WARNING! This will remove all images without at least one container associated to them."
                     : "WARNING! This will remove all dangling images."))
    return 0;
  Store& store = ctx.store();
  Removal total;
  for (const ImageRecord& img : store.images().list()) {
    if (!store.images().get(img.id)) continue;  // gone with an image pruned before it
    if (!all && !store.images().tags_of(img.id).empty()) continue;
    if (!store.images().children_of(img.id).empty()) continue;  // a build step others stand on
    if (!store.containers().using_image(img.id).empty()) continue;  // a container's image is never pruned
    Removal r = remove_image(store, img.id);
    total.lines.insert(total.lines.end(), r.lines.begin(), r.lines.end());
    total.reclaimed += r.reclaimed;
  }
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
