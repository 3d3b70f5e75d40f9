// Store's SQLite connections are reused within a process (store/connection_pool.h)
// — never across a fork, never for a store deleted and made again at the same
// path — and a connection's compiled statements are reused with fresh bindings.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "core/fs.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace {

fs::path new_root() { return fs::temp_directory_path() / ("berth-pool-" + berth::random_hex(8)); }

void add_image(berth::Store& store, const std::string& config) {
  berth::Transaction tx(store.db());
  store.images().add({berth::Digest::of(config), std::nullopt, std::nullopt, 1});
  tx.commit();
}

// A TEMP table lives only in the connection that made it.
void mark_connection(berth::Store& store) { store.db().exec("CREATE TEMP TABLE connection_marker(x)"); }
bool marked_connection(berth::Store& store) {
  berth::Statement s = store.db().prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'connection_marker'");
  return s.next() && s.integer(0) == 1;
}

}  // namespace

TEST(ConnectionPool, NextStoreOnTheSameFileReusesTheConnection) {
  fs::path root = new_root();
  {
    berth::Store store(root);
    mark_connection(store);
    add_image(store, "{}");
  }
  {
    berth::Store store(root);
    EXPECT_TRUE(marked_connection(store));
    EXPECT_TRUE(store.images().get(berth::Digest::of("{}")));
  }
  fs::remove_all(root);
}

TEST(ConnectionPool, StoreMadeAgainAtTheSamePathGetsANewConnection) {
  fs::path root = new_root();
  {
    berth::Store store(root);
    mark_connection(store);
    add_image(store, "{}");
  }
  fs::remove_all(root);
  fs::create_directories(root);
  berth::Database(root / "berth.db").exec("CREATE TABLE made_by_another_process(x)");
  {
    berth::Store store(root);
    EXPECT_FALSE(marked_connection(store));
    EXPECT_FALSE(store.images().get(berth::Digest::of("{}")));
  }
  fs::remove_all(root);
}

TEST(ConnectionPool, ForkedChildOpensItsOwn) {
  fs::path root = new_root();
  {
    berth::Store store(root);
    mark_connection(store);
    add_image(store, "{}");
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    berth::Store store(root);
    bool own = !marked_connection(store);
    bool sees = store.images().get(berth::Digest::of("{}")).has_value();
    ::_exit(own && sees ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fs::remove_all(root);
}

TEST(ConnectionPool, ReusedStatementsTakeFreshBindings) {
  fs::path root = new_root();
  berth::Store store(root);
  add_image(store, "{\"a\":1}");
  add_image(store, "{\"b\":2}");
  auto count = [&](const berth::Digest& id) {
    berth::Statement s = store.db().prepare("SELECT count(*) FROM images WHERE id = ?");
    s.bind(1, id.str());
    return s.next() ? s.integer(0) : -1;
  };
  EXPECT_EQ(count(berth::Digest::of("{\"a\":1}")), 1);
  EXPECT_EQ(count(berth::Digest::of("{\"c\":3}")), 0);
  // Two live statements with the same SQL are two statements.
  berth::Statement outer = store.db().prepare("SELECT id FROM images ORDER BY id");
  int rows = 0;
  while (outer.next()) {
    berth::Statement inner = store.db().prepare("SELECT id FROM images ORDER BY id");
    ASSERT_TRUE(inner.next());
    ++rows;
  }
  EXPECT_EQ(rows, 2);
  fs::remove_all(root);
}
