// The disk catching up without anyone waiting (--sync=normal, core/durability.h):
// after a command that marked layers or blobs not yet known durable, a
// detached `berth store-sync` runs one syncfs and clears the marks it covers
// (store/durability_marks.h). The command's output is complete by then; only
// starting the helper (in a session of its own) is on its path.
#pragma once

#include <filesystem>

#include "store/store.h"

namespace berth {

// Starts the helper when this process wrote marks since the last start
// (not with $BERTH_NO_BACKGROUND_SYNC set: tests keep the marks, as a machine
// that stopped first would).
void start_background_sync(const std::filesystem::path& root);

// The helper's work: the newest mark read, one syncfs of the store's file
// system, then every mark up to it cleared (a syncfs that began after a mark
// was committed covers its files, whichever process wrote them).
void sync_and_clear_marks(Store& store);

}  // namespace berth
