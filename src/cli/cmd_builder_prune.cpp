// berth builder prune [-a] [-f]: forgets the build cache — every step record
// (the next build runs each step again), the remembered digests of context
// files, and the RUN --mount=type=cache directories. Images stay: the steps of
// tagged images are their parents, and `image prune` removes the rest.
#include "cli/command.h"
#include "cli/input.h"
#include "cli/prune_output.h"
#include "engine/images.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "builder prune");
  if (!args.flag("force") && !confirmed("WARNING! This will remove all dangling build cache.")) return 0;
  print_reclaimed(prune_build_cache(ctx.store()));
  return 0;
}

}  // namespace

const Command kBuilderPruneCommand = {"builder prune", "berth builder prune [OPTIONS]",
                                      "Remove build cache",
                                      {{'a', "all", false}, {'f', "force", false}}, run};

}  // namespace berth
