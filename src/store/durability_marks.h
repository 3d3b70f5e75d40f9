// Layers and blobs committed without waiting for the disk (--sync=normal,
// core/durability.h): each is marked, in the transaction that records it, with
// the boot it was written in (ids never reused: AUTOINCREMENT, so a sync clears
// only marks committed before it read the newest). A syncfs that began after a mark was committed
// covers that mark's files, so the background sync (`berth store-sync`) reads
// the newest mark, syncs, and clears every mark up to it. A mark from another
// boot means the machine stopped before the disk caught up: the first command
// after it verifies what is marked before anything uses it (image/crash_recovery.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.h"

namespace berth {

struct DurabilityMark {
  int64_t id = 0;
  std::string kind;  // "layer" (a chain ID) or "blob" (a digest)
  std::string key;
  std::string boot_id;
};

class DurabilityMarks {
 public:
  static constexpr const char* kLayer = "layer";
  static constexpr const char* kBlob = "blob";

  explicit DurabilityMarks(Database& db) : db_(db) {}
  // Inside the transaction that records the layer or blob; a no-op with --sync=full.
  void mark(const char* kind, const std::string& key);
  // The newest mark's id (0 when there is none).
  int64_t newest();
  // After a syncfs that began once `newest` was read.
  void clear_through(int64_t newest);
  // Marks made in another boot than this one (all of them with `any_boot`).
  std::vector<DurabilityMark> unverified(bool any_boot = false);
  bool any_from_earlier_boot();
  void clear(int64_t id);

 private:
  Database& db_;
};

}  // namespace berth
