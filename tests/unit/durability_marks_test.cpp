// Durability marks (store/durability_marks.h): written only without
// --sync=full, cleared up to the newest a sync covered, and the marks of
// another boot found — the case after a crash; a store opened with such marks
// runs the recovery hook first, under the exclusive lock.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/durability.h"
#include "core/fs.h"
#include "store/durability_marks.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace {

struct TempStore {
  fs::path root = fs::temp_directory_path() / ("berth-marks-" + berth::random_hex(8));
  ~TempStore() {
    berth::set_sync_mode(berth::SyncMode::normal);
    berth::Store::set_crash_recovery(nullptr);
    fs::remove_all(root);
  }
};

TEST(DurabilityMarks, OnlyWithoutFullSyncAndClearedUpToTheNewest) {
  TempStore t;
  berth::Store store(t.root);
  berth::DurabilityMarks marks(store.db());
  berth::set_sync_mode(berth::SyncMode::full);
  marks.mark(berth::DurabilityMarks::kLayer, "sha256:" + std::string(64, 'a'));
  EXPECT_EQ(marks.newest(), 0);
  berth::set_sync_mode(berth::SyncMode::normal);
  int64_t before = berth::unsynced_writes();
  marks.mark(berth::DurabilityMarks::kLayer, "sha256:" + std::string(64, 'a'));
  int64_t first = marks.newest();
  marks.mark(berth::DurabilityMarks::kBlob, "sha256:" + std::string(64, 'b'));
  EXPECT_EQ(berth::unsynced_writes(), before + 2);
  EXPECT_GT(marks.newest(), first);
  EXPECT_TRUE(marks.unverified().empty());  // this boot's: nothing to verify
  EXPECT_EQ(marks.unverified(true).size(), 2u);
  EXPECT_FALSE(marks.any_from_earlier_boot());
  marks.clear_through(first);  // a sync that began before the second mark covers only the first
  ASSERT_EQ(marks.unverified(true).size(), 1u);
  EXPECT_EQ(marks.unverified(true)[0].kind, "blob");
}

TEST(DurabilityMarks, AnEarlierBootsMarksRunTheRecoveryWhenTheStoreOpens) {
  TempStore t;
  { berth::Store store(t.root); }
  berth::Database(t.root / "berth.db")
      .exec("INSERT INTO unsynced(kind, key, boot_id) VALUES ('layer', 'sha256:" + std::string(64, 'c') +
            "', 'a-boot-before-this-one')");
  int recoveries = 0;
  berth::Store::set_crash_recovery([&](berth::Store& s) {
    ++recoveries;
    berth::DurabilityMarks marks(s.db());
    std::vector<berth::DurabilityMark> found = marks.unverified();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].boot_id, "a-boot-before-this-one");
    marks.clear(found[0].id);
  });
  { berth::Store store(t.root); }
  { berth::Store store(t.root); }  // nothing left: no second recovery
  EXPECT_EQ(recoveries, 1);
}

}  // namespace
