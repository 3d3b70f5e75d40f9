#include "core/durability.h"

#include <atomic>
#include <cstdlib>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

namespace {

std::atomic<SyncMode> g_mode{SyncMode::normal};
std::atomic<int64_t> g_unsynced{0};

}  // namespace

void set_sync_mode(SyncMode mode) { g_mode = mode; }

SyncMode sync_mode() { return g_mode; }

SyncMode parse_sync_mode(const std::string& text) {
  if (text == "full") return SyncMode::full;
  if (text == "normal") return SyncMode::normal;
  throw invalid_argument("invalid sync mode \"" + text + "\": full or normal");
}

std::string boot_id() {
  // Read once: it cannot change while the process lives.
  static const std::string id = [] {
    const char* fake = std::getenv("BERTH_BOOT_ID_FILE");
    std::string text = read_file(fake && *fake ? fake : "/proc/sys/kernel/random/boot_id");
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.empty()) throw Error("cannot tell this boot's ID: empty");
    return text;
  }();
  return id;
}

void note_unsynced_writes(int64_t n) { g_unsynced += n; }

int64_t unsynced_writes() { return g_unsynced; }

}  // namespace berth
