// Reading a container's json-file log: everything, the last N, none before a
// time, from the end, a partial last line kept for the next read, and no log
// at all for a container that never started.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/fs.h"
#include "core/timestamp.h"
#include "engine/container_logs.h"
#include "runtime/container_paths.h"

namespace {

namespace fs = std::filesystem;

std::string line(const std::string& log, const std::string& stream, const std::string& time) {
  return berth::Json({{"log", log}, {"stream", stream}, {"time", time}}).dump() + "\n";
}

std::vector<std::string> texts(const std::vector<berth::LogEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.stream + ":" + e.log);
  return out;
}

class ContainerLogs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-logs-" + berth::random_hex(8));
    store_.emplace(dir_ / "root");
    log_ = berth::ContainerPaths(*store_, kId).log();
    fs::create_directories(log_.parent_path());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void append(const std::string& text) { std::ofstream(log_, std::ios::app) << text; }

  const std::string kId = std::string(64, 'a');
  fs::path dir_, log_;
  std::optional<berth::Store> store_;
};

TEST_F(ContainerLogs, AllTailAndSince) {
  append(line("one\n", "stdout", "2026-01-01T00:00:01.5Z") + line("two\n", "stderr", "2026-01-01T00:00:02Z") +
         line("three\n", "stdout", "2026-01-01T00:00:03.000000001Z"));
  EXPECT_EQ(texts(berth::ContainerLogReader(*store_, kId).read()),
            (std::vector<std::string>{"stdout:one\n", "stderr:two\n", "stdout:three\n"}));
  EXPECT_EQ(texts(berth::ContainerLogReader(*store_, kId).read({.tail = 2})),
            (std::vector<std::string>{"stderr:two\n", "stdout:three\n"}));
  EXPECT_TRUE(berth::ContainerLogReader(*store_, kId).read({.tail = 0}).empty());
  int64_t at_two = *berth::parse_rfc3339_nanos("2026-01-01T00:00:02Z");
  EXPECT_EQ(texts(berth::ContainerLogReader(*store_, kId).read({.since_ns = at_two})),
            (std::vector<std::string>{"stderr:two\n", "stdout:three\n"}));
  EXPECT_EQ(texts(berth::ContainerLogReader(*store_, kId).read({.since_ns = at_two + 1})),
            (std::vector<std::string>{"stdout:three\n"}))
      << "nanoseconds count";
}

TEST_F(ContainerLogs, FromTheEndAndPartialLines) {
  append(line("old\n", "stdout", "2026-01-01T00:00:01Z"));
  berth::ContainerLogReader reader(*store_, kId, /*from_end=*/true);
  EXPECT_TRUE(reader.read().empty());
  std::string next = line("new\n", "stdout", "2026-01-01T00:00:02Z");
  append(next.substr(0, 10));
  EXPECT_TRUE(reader.read().empty()) << "half a line waits";
  append(next.substr(10));
  EXPECT_EQ(texts(reader.read()), (std::vector<std::string>{"stdout:new\n"}));
  EXPECT_TRUE(reader.read().empty());
}

TEST_F(ContainerLogs, NeverStarted) {
  berth::ContainerLogReader reader(*store_, std::string(64, 'b'));
  EXPECT_FALSE(reader.exists());
  EXPECT_TRUE(reader.read().empty());
}

}  // namespace
