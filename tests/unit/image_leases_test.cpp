// Leases keep a running build's step images from a concurrent prune, and
// only while their holder lives.
#include "store/image_leases.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "core/fs.h"
#include "store/store.h"

namespace fs = std::filesystem;

TEST(ImageLeases, HeldWhileTheHolderLivesAndUntilReleased) {
  fs::path root = fs::temp_directory_path() / ("berth-lease-" + berth::random_hex(8));
  {
    berth::Store store(root);
    berth::Digest a = berth::Digest::of("a"), b = berth::Digest::of("b");
    berth::ImageLeases leases(store.db());
    {
      berth::ScopedLease lease(store.db());
      leases.take(a, lease.name());
      EXPECT_TRUE(leases.held(a));
      EXPECT_FALSE(leases.held(b));
      // A lease left by a process that is gone (a pid with another start time) holds nothing.
      store.db()
          .prepare("INSERT INTO leases(image_id, holder, pid, started) VALUES(?1, 'dead', ?2, 1)")
          .bind(1, b.str())
          .bind(2, static_cast<int64_t>(::getpid()))
          .run();
      EXPECT_FALSE(leases.held(b));
    }
    EXPECT_FALSE(leases.held(a));  // released with its scope
    berth::Statement left = store.db().prepare("SELECT count(*) FROM leases");
    ASSERT_TRUE(left.next());
    EXPECT_EQ(left.integer(0), 0);  // the dead one went with it
  }
  fs::remove_all(root);
}
