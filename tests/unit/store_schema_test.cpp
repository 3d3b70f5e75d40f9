// The store's schema: a new root gets the current one, and a version-1
// database (before images.last_tag_time) is migrated, through every later
// version, when opened.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/error.h"
#include "core/fs.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace {

int64_t user_version(const fs::path& db) {
  berth::Database d(db);
  berth::Statement s = d.prepare("PRAGMA user_version");
  return s.next() ? s.integer(0) : -1;
}

}  // namespace

TEST(StoreSchema, NewStoreRecordsTagTimes) {
  fs::path root = fs::temp_directory_path() / ("berth-schema-" + berth::random_hex(8));
  {
    berth::Store store(root);
    berth::Digest id = berth::Digest::of("{}");
    berth::Transaction tx(store.db());
    store.images().add({id, std::nullopt, std::nullopt, 1});
    store.images().touch_last_tag_time(id, 42);
    tx.commit();
    EXPECT_EQ(store.images().get(id)->last_tag_time, 42);
  }
  EXPECT_EQ(user_version(root / "berth.db"), 10);
  fs::remove_all(root);
}

TEST(StoreSchema, VersionOneIsMigrated) {
  fs::path root = fs::temp_directory_path() / ("berth-schema-" + berth::random_hex(8));
  fs::create_directories(root);
  berth::Digest id = berth::Digest::of("{}");
  {
    berth::Database old(root / "berth.db");
    old.exec("PRAGMA journal_mode=WAL;"
             "CREATE TABLE images(id TEXT PRIMARY KEY, top_layer TEXT, manifest_digest TEXT, added_at INTEGER NOT NULL);"
             "INSERT INTO images VALUES ('" + id.str() + "', NULL, NULL, 7);"
             "PRAGMA user_version = 1;");
  }
  {
    berth::Store store(root);
    std::optional<berth::ImageRecord> rec = store.images().get(id);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->added_at, 7);
    EXPECT_EQ(rec->last_tag_time, 0);
    store.images().touch_last_tag_time(id, 99);
    EXPECT_EQ(store.images().get(id)->last_tag_time, 99);
    EXPECT_TRUE(store.containers().all().empty());  // version 3's table exists
    // Version 4: parents and the build cache, whose entries go with their image.
    berth::Digest child = berth::Digest::of("{\"child\":1}");
    berth::ImageRecord c{child, std::nullopt, std::nullopt, 8};
    c.parent = id;
    store.images().add(c);
    store.images().cache_step("step-key", child);
    EXPECT_EQ(store.images().get(child)->parent, id);
    EXPECT_EQ(store.images().children_of(id), std::vector<berth::Digest>{child});
    EXPECT_EQ(store.images().cached_step("step-key"), child);
    store.images().remove(child);
    EXPECT_FALSE(store.images().cached_step("step-key"));
    // Version 5: remembered file digests, forgotten with the steps by `builder prune`.
    store.images().cache_step("other-key", id);
    store.db().exec("INSERT INTO file_digests VALUES (1, 2, 3, 4, 5, 'ab', 6)");
    EXPECT_EQ(store.images().forget_build_cache(), 1);
    EXPECT_FALSE(store.images().cached_step("other-key"));
    berth::Statement left = store.db().prepare("SELECT count(*) FROM file_digests");
    ASSERT_TRUE(left.next());
    EXPECT_EQ(left.integer(0), 0);
    // Version 6: networks and their endpoints, which go with their container.
    EXPECT_TRUE(store.networks().all().empty());
    berth::NetworkRecord net{std::string(64, 'a'), "app_default", "bridge", 9, berth::Json::object()};
    store.networks().add(net);
    EXPECT_THROW(store.networks().add(net), berth::Error);
    berth::ContainerRecord box;
    box.id = std::string(64, 'c');
    box.name = "box";
    box.image_id = id;
    box.image = "x";
    box.layer_id = "l";
    store.containers().add(box);
    berth::EndpointRecord e;
    e.network_id = net.id;
    e.container_id = box.id;
    e.endpoint_id = std::string(64, 'e');
    e.aliases = {"www"};
    store.networks().add_endpoint(e);
    EXPECT_TRUE(store.networks().lease(net.id, box.id, "10.0.0.2", "02:42:0a:00:00:02"));
    EXPECT_EQ(store.networks().leased_addresses(net.id), std::vector<std::string>{"10.0.0.2"});
    ASSERT_EQ(store.networks().peers_on(net.id).size(), 1u);
    EXPECT_EQ(store.networks().peers_on(net.id)[0].aliases, std::vector<std::string>{"www"});
    EXPECT_EQ(store.networks().find("aaa").name, "app_default");  // an ID prefix
    EXPECT_THROW(store.networks().find("app"), berth::Error);    // a name matches whole
    store.containers().remove(box.id);
    EXPECT_TRUE(store.networks().endpoints_on(net.id).empty());
  }
  EXPECT_EQ(user_version(root / "berth.db"), 10);
  fs::remove_all(root);
}

TEST(StoreSchema, VersionSixGainsPausedContainers) {
  fs::path root = fs::temp_directory_path() / ("berth-schema-" + berth::random_hex(8));
  berth::Digest image = berth::Digest::of("{}");
  {
    berth::Store store(root);
    store.images().add({image, std::nullopt, std::nullopt, 1});
    store.containers().add({.id = std::string(64, 'c'), .name = "old", .image_id = image, .image = "x", .layer_id = "l"});
  }
  berth::Database(root / "berth.db").exec("ALTER TABLE containers DROP COLUMN paused; PRAGMA user_version = 6;");
  {
    berth::Store store(root);
    berth::ContainerRecord c = store.containers().find("old");
    EXPECT_FALSE(c.paused);
    store.containers().set_paused(c.id, true);
    EXPECT_TRUE(store.containers().find("old").paused);
  }
  EXPECT_EQ(user_version(root / "berth.db"), 10);
  fs::remove_all(root);
}

TEST(StoreSchema, VersionEightGainsPushedArchives) {
  fs::path root = fs::temp_directory_path() / ("berth-schema-" + berth::random_hex(8));
  { berth::Store store(root); }
  berth::Database(root / "berth.db").exec("DROP TABLE pushed_archives; PRAGMA user_version = 8;");
  berth::Digest tar = berth::Digest::of("tar"), gz = berth::Digest::of("gz");
  {
    berth::Store store(root);
    EXPECT_TRUE(store.layers().pushed_archives(tar).empty());
    store.layers().remember_archive(tar, {gz, "application/vnd.oci.image.layer.v1.tar+gzip", 42});
    store.layers().remember_archive(tar, {gz, "application/vnd.oci.image.layer.v1.tar+gzip", 42});  // once
    std::vector<berth::LayerStore::PushedArchive> known = store.layers().pushed_archives(tar);
    ASSERT_EQ(known.size(), 1u);
    EXPECT_EQ(known[0].blob, gz);
    EXPECT_EQ(known[0].size, 42);
  }
  EXPECT_EQ(user_version(root / "berth.db"), 10);
  fs::remove_all(root);
}
