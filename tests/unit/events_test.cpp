// The events log: lines every process appends, read incrementally and across
// a rotation, and Docker's selection of them (window, filters).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "engine/events.h"
#include "store/event_log.h"

namespace fs = std::filesystem;

namespace berth {
namespace {

class Events : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-events-" + random_hex(8));
    store_.emplace(dir_ / "root");
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  // Every event the query selects from what is logged now (a window that has closed).
  std::vector<std::string> selected(std::vector<std::string> filters) {
    std::vector<std::string> actions;
    EventQuery q{.since_ns = 0, .until_ns = now_unix_nanos(), .filters = std::move(filters)};
    stream_events(*store_, q, [&](const Json& e) { actions.push_back(e["Actor"]["ID"].get<std::string>() + ":" + e["Action"].get<std::string>()); },
                  [] { return false; });
    return actions;
  }
  fs::path dir_;
  std::optional<Store> store_;
};

TEST_F(Events, AreReadAsTheyAreAppendedInMobysShape) {
  EventLogReader reader(store_->root());
  EXPECT_TRUE(reader.read_new().empty());
  record_event(store_->root(), "volume", "create", "v1", Json{{"driver", "local"}});
  std::vector<Json> first = reader.read_new();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0]["Type"], "volume");
  EXPECT_EQ(first[0]["Action"], "create");
  EXPECT_EQ(first[0]["Actor"]["Attributes"]["driver"], "local");
  EXPECT_FALSE(first[0].contains("status"));  // only containers and images keep the old fields
  ContainerRecord c;
  c.id = std::string(64, 'c');
  c.name = "web";
  c.image = "web:1";
  c.config = {{"Config", {{"Labels", {{"tier", "front"}}}}}};
  record_container_event(store_->root(), c, "die", Json{{"exitCode", "3"}});
  std::vector<Json> second = reader.read_new();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["status"], "die");
  EXPECT_EQ(second[0]["from"], "web:1");
  EXPECT_EQ(second[0]["Actor"]["Attributes"], (Json{{"tier", "front"}, {"exitCode", "3"}, {"image", "web:1"}, {"name", "web"}}));
  EXPECT_TRUE(reader.read_new().empty());
}

TEST_F(Events, AReaderFollowsTheLogAcrossARotation) {
  EventLogReader reader(store_->root());
  record_event(store_->root(), "volume", "create", "before", Json::object());
  EXPECT_EQ(reader.read_new().size(), 1u);
  record_event(store_->root(), "volume", "create", "late", Json::object());
  fs::rename(store_->root() / "events.log", store_->root() / "events.log.1");  // what a writer does at 16 MiB
  record_event(store_->root(), "volume", "create", "after", Json::object());
  std::vector<Json> rest = reader.read_new();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0]["Actor"]["ID"], "late");
  EXPECT_EQ(rest[1]["Actor"]["ID"], "after");
}

TEST_F(Events, FiltersSelectAsDockersDo) {
  ContainerRecord c;
  c.id = std::string(64, 'a');
  c.name = "api";
  c.image = "api:2";
  c.config = {{"Config", {{"Labels", {{"tier", "back"}}}}}};
  record_container_event(store_->root(), c, "start");
  record_container_event(store_->root(), c, "exec_start: sh -c true");
  record_event(store_->root(), "image", "tag", "sha256:1", Json{{"name", "api:2"}});
  record_event(store_->root(), "network", "create", "n1", Json{{"name", "backend"}, {"type", "bridge"}});
  std::string a = c.id + ":";
  EXPECT_EQ(selected({"type=container"}), (std::vector<std::string>{a + "start", a + "exec_start: sh -c true"}));
  EXPECT_EQ(selected({"event=exec_start"}), std::vector<std::string>{a + "exec_start: sh -c true"});
  EXPECT_EQ(selected({"container=api", "event=start"}), std::vector<std::string>{a + "start"});
  EXPECT_EQ(selected({"image=api:2"}), (std::vector<std::string>{a + "start", a + "exec_start: sh -c true", "sha256:1:tag"}));
  EXPECT_EQ(selected({"label=tier=back", "label=tier"}).size(), 2u);
  EXPECT_TRUE(selected({"label=tier=front"}).empty());
  EXPECT_EQ(selected({"network=backend"}), std::vector<std::string>{"n1:create"});
  EXPECT_THROW(selected({"colour=red"}), Error);
}

TEST_F(Events, WithoutAWindowOnlyNewEventsAreSent) {
  record_event(store_->root(), "volume", "create", "old", Json::object());
  std::vector<std::string> seen;
  int polls = 0;
  stream_events(*store_, EventQuery{}, [&](const Json& e) { seen.push_back(e["Actor"]["ID"]); }, [&] {
    if (polls++ == 0) record_event(store_->root(), "volume", "create", "new", Json::object());
    return polls > 2;
  });
  EXPECT_EQ(seen, std::vector<std::string>{"new"});
}

}  // namespace
}  // namespace berth
