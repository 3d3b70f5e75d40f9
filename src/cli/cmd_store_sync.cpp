// berth store-sync: internal; what a command that did not wait for the disk
// leaves behind (engine/background_sync.h), in a session of its own, its
// standard descriptors /dev/null.
#include "cli/command.h"
#include "engine/background_sync.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "store-sync");
  sync_and_clear_marks(ctx.store());  // on failure the marks stay: a later helper clears them
  return 0;
}

}  // namespace

const Command kStoreSyncCommand = {"store-sync", "berth store-sync",
                                   "Internal: flush the store to disk and clear its durability marks", {}, run,
                                   false, true};

}  // namespace berth
