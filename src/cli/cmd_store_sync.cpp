// berth store-sync: internal; what a command that did not wait for the disk
// leaves behind (engine/background_sync.h). It detaches at once, so the
// command that started it ends without waiting for the disk.
#include <fcntl.h>
#include <unistd.h>

#include "cli/command.h"
#include "engine/background_sync.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "store-sync");
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3 && null >= 0; ++fd) ::dup2(null, fd);
  pid_t child = ::fork();
  if (child != 0) return child < 0 ? 1 : 0;
  ::setsid();
  try {
    sync_and_clear_marks(ctx.store());
  } catch (const std::exception&) {
    ::_exit(1);  // the marks stay: a later helper clears them
  }
  ::_exit(0);
}

}  // namespace

const Command kStoreSyncCommand = {"store-sync", "berth store-sync",
                                   "Internal: flush the store to disk and clear its durability marks", {}, run,
                                   false, true};

}  // namespace berth
