// berth builder prune [-a] [-f]: forgets the build cache — every step record
// (the next build runs each step again), the remembered digests of context
// files, and the RUN --mount=type=cache directories. Images stay: the steps of
// tagged images are their parents, and `image prune` removes the rest.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/input.h"
#include "core/units.h"
#include "core/fs.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "builder prune");
  if (!args.flag("force") && !confirmed("WARNING! This will remove all dangling build cache.")) return 0;
  Store& store = ctx.store();
  store.images().forget_build_cache();
  std::filesystem::path mounts = store.root() / "build-cache";
  int64_t reclaimed = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(mounts, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    reclaimed += bytes_below(it->path());
    remove_tree(it->path());
  }
  std::cout << "Total reclaimed space: " << human_size(static_cast<double>(reclaimed), 4) << "\n";
  return 0;
}

}  // namespace

const Command kBuilderPruneCommand = {"builder prune", "berth builder prune [OPTIONS]",
                                      "Remove build cache",
                                      {{'a', "all", false}, {'f', "force", false}}, run};

}  // namespace berth
