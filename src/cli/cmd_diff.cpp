// berth diff CONTAINER (and container diff): the changes to its files, as
// `docker diff` prints them — "A /path", "C /path", "D /path".
#include <iostream>

#include "cli/command.h"
#include "engine/container_changes.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "diff");
  for (const FileChange& change : container_changes(ctx.store(), args.positional()[0])) {
    char kind = change.kind == FileChange::Kind::added ? 'A' : change.kind == FileChange::Kind::deleted ? 'D' : 'C';
    std::cout << kind << " " << change.path << "\n";
  }
  return 0;
}

}  // namespace

const Command kDiffCommand = {"diff", "berth diff CONTAINER", "Inspect changes to files or directories on a container's filesystem",
                              {}, run};

}  // namespace berth
