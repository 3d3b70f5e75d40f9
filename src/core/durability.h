// Whether a command waits for the disk (docs/storage.md, "Durability").
//
// full:   every commit waits until what it recorded is on disk (fsync, syncfs),
//         as berth always did.
// normal: nothing waits. A commit records its new layers and blobs as "not yet
//         known durable" with this boot's ID (store/durability_marks.h); a
//         syncfs after the command clears the marks, and after a crash the first
//         command verifies what is still marked before anything uses it. SQLite's
//         WAL with synchronous=NORMAL makes the same trade for the records.
//
// A killed process loses nothing either way: its writes are in the page cache.
// Only a machine that stops can lose unsynced data, and then normal mode loses
// at most the last commands' results, never serves a torn layer.
#pragma once

#include <cstdint>
#include <string>

namespace berth {

enum class SyncMode { full, normal };

// Process-wide, set once at start-up (--sync, /etc/berth/config.json).
void set_sync_mode(SyncMode mode);
SyncMode sync_mode();
inline bool waits_for_disk() { return sync_mode() == SyncMode::full; }
// "full" | "normal"; throws invalid_argument otherwise.
SyncMode parse_sync_mode(const std::string& text);

// The kernel's boot ID (/proc/sys/kernel/random/boot_id): marks made under
// another one were made before a reboot, maybe a crash. $BERTH_BOOT_ID_FILE
// names a file to read instead, so tests can simulate a reboot.
std::string boot_id();

// Counts the marks this process wrote, so the end of a command knows whether
// a background sync has anything to clear.
void note_unsynced_writes(int64_t n);
int64_t unsynced_writes();

}  // namespace berth
