#include "engine/background_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "core/durability.h"
#include "core/error.h"
#include "core/subprocess.h"
#include "store/durability_marks.h"

namespace berth {

void start_background_sync(const std::filesystem::path& root) {
  // Tests keep the marks to simulate a machine that stopped first.
  if (const char* off = std::getenv("BERTH_NO_BACKGROUND_SYNC"); off && *off) return;
  static std::atomic<int64_t> started_for{0};
  int64_t written = unsynced_writes();
  if (written == 0 || started_for.exchange(written) == written) return;
  try {
    // Not waited for: only its start is on the command's path. A thread reaps
    // it (a long-lived service must not keep zombies; a CLI exits first).
    pid_t pid = spawn_process({"/proc/self/exe", "--root", root.string(), "store-sync"},
                              SpawnOptions{.new_session = true, .what = "berth store-sync"});
    std::thread([pid] { wait_for_exit(pid); }).detach();
  } catch (const Error&) {
    // The marks stay: the next command's helper clears them, a crash only costs a verification.
  }
}

void sync_and_clear_marks(Store& store) {
  DurabilityMarks marks(store.db());
  int64_t newest = marks.newest();
  if (newest == 0) return;
  UniqueFd dir = open_or_throw(store.root(), O_RDONLY | O_DIRECTORY);
  if (::syncfs(dir.get()) != 0) throw_errno("sync " + store.root().string());
  marks.clear_through(newest);
}

}  // namespace berth
