// The context's COPY sources hashed ahead of their COPY: the digest handed
// over is the file's content's, only for the file as it was read; what
// .dockerignore leaves out, what is remembered and what the Dockerfile does
// not name as written is not read; a file the COPY asks for first is the
// COPY's to read.
#include "builder/context_hash_ahead.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "core/digest.h"
#include "core/fs.h"
#include "store/file_digest_cache.h"
#include "store/store.h"

namespace fs = std::filesystem;
using berth::ContextHashAhead;

namespace {

const std::map<std::string, std::string> kNoArgs;
constexpr int64_t kNow = 0;  // files written by the test count as settled at once

class ContextHashAheadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-hash-ahead-" + berth::random_hex(8));
    context_ = dir_ / "ctx";
    fs::create_directories(context_);
    store_ = std::make_unique<berth::Store>(dir_ / "root");
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  void write(const std::string& rel, const std::string& content) {
    berth::write_file_atomic(context_ / rel, content, 0644);
  }
  static struct stat stat_of(const fs::path& p) {
    struct stat st;
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st;
  }
  // What the thread hands over for `rel`, once it has been through everything.
  std::optional<std::string> taken(ContextHashAhead& ahead, const std::string& rel) {
    ahead.wait();
    return ahead.take(stat_of(context_ / rel));
  }

  fs::path dir_, context_;
  std::unique_ptr<berth::Store> store_;
};

TEST_F(ContextHashAheadTest, HandsOverTheDigestsOfWhatTheSourcesName) {
  fs::create_directories(context_ / "src" / "lib");
  write("src/main.c", "int main() {}\n");
  write("src/lib/util.c", "void util() {}\n");
  write("src/lib/secret.key", "not for the image\n");
  write("README", "readme\n");
  berth::BuildContext context(context_, "src/lib/*.key\n");
  ContextHashAhead ahead(store_->root(), context, {"src"}, kNow);
  EXPECT_EQ(taken(ahead, "src/main.c"), berth::Digest::of("int main() {}\n").hex());
  EXPECT_EQ(taken(ahead, "src/lib/util.c"), berth::Digest::of("void util() {}\n").hex());
  EXPECT_EQ(taken(ahead, "src/lib/secret.key"), std::nullopt) << ".dockerignore leaves it out";
  EXPECT_EQ(taken(ahead, "README"), std::nullopt) << "no COPY names it";
}

TEST_F(ContextHashAheadTest, AFileChangedSinceItWasReadIsTheCopysToRead) {
  write("a.txt", "before");
  berth::BuildContext context(context_, "");
  ContextHashAhead ahead(store_->root(), context, {"a.txt"}, kNow);
  ahead.wait();
  struct stat read_then = stat_of(context_ / "a.txt");
  // Written in place: same inode, a new ctime (and size) — another identity.
  {
    berth::UniqueFd fd(::open((context_ / "a.txt").c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    ASSERT_EQ(::write(fd.get(), "after!", 6), 6);
  }
  struct stat now = stat_of(context_ / "a.txt");
  ASSERT_EQ(now.st_ino, read_then.st_ino);
  EXPECT_EQ(ahead.take(now), std::nullopt);
  EXPECT_EQ(ahead.take(read_then), berth::Digest::of("before").hex()) << "the identity it was read under";
}

TEST_F(ContextHashAheadTest, AFileTheCopyTookFirstIsNotRead) {
  write("big.bin", std::string(1 << 20, 'x'));
  berth::BuildContext context(context_, "");
  struct stat st = stat_of(context_ / "big.bin");
  // The thread has not started on it yet, or has read it: either way the
  // answer is the file's digest or nothing, and asking again gives the same.
  ContextHashAhead ahead(store_->root(), context, {"big.bin"}, kNow);
  std::optional<std::string> first = ahead.take(st);
  if (first) EXPECT_EQ(*first, berth::Digest::of(std::string(1 << 20, 'x')).hex());
  ahead.wait();
  EXPECT_EQ(ahead.take(st), first) << "once the COPY's, it stays the COPY's";
}

TEST_F(ContextHashAheadTest, RememberedDigestsAreNotReadAgain) {
  write("kept.txt", "kept");
  struct stat st = stat_of(context_ / "kept.txt");
  {
    // A build that starts 10 s from now: the file is old enough to remember.
    timespec now;
    ::clock_gettime(CLOCK_REALTIME, &now);
    berth::FileDigestCache cache(store_->db(), (static_cast<int64_t>(now.tv_sec) + 10) * 1000000000);
    cache.learn(st, berth::Digest::of("kept").hex());
    cache.save();
  }
  berth::BuildContext context(context_, "");
  ContextHashAhead ahead(store_->root(), context, {"kept.txt"}, kNow);
  ahead.wait();
  EXPECT_EQ(ahead.take(st), std::nullopt);
}

TEST_F(ContextHashAheadTest, AFileChangedJustBeforeItWasReadIsTheCopysToRead) {
  write("fresh.txt", "just written");
  berth::BuildContext context(context_, "");
  ContextHashAhead ahead(store_->root(), context, {"fresh.txt"});  // 100 ms, as a build has it
  EXPECT_EQ(taken(ahead, "fresh.txt"), std::nullopt) << "it could change again within one clock tick";
}

TEST_F(ContextHashAheadTest, NothingIsReadThroughASymlink) {
  fs::create_directories(dir_ / "outside");
  berth::write_file_atomic(dir_ / "outside" / "host.txt", "not the context's", 0644);
  fs::create_symlink(dir_ / "outside", context_ / "lnk");
  berth::BuildContext context(context_, "");
  ContextHashAhead ahead(store_->root(), context, {"lnk/*", "lnk"}, kNow);
  ahead.wait();
  EXPECT_EQ(ahead.take(stat_of(dir_ / "outside" / "host.txt")), std::nullopt) << "the COPY resolves it, and reads it";
}

TEST(ContextSources, TheContextFilesTheNeededStagesNameAsWritten) {
  berth::BuildPlan plan = berth::plan_build(
      "FROM bb:1 AS unused\nCOPY never /x\n"
      "FROM bb:1 AS tools\nRUN make\n"
      "FROM bb:1 AS build\nCOPY a.txt src/ /app/\nADD https://example.invalid/f /f\nCOPY $DIR /d\n"
      "COPY <<EOF /h\nhi\nEOF\nCOPY --from=tools /x /y\nADD a.txt pkg.tar /p/\n",
      "build", kNoArgs);
  EXPECT_EQ(berth::context_sources_of(plan), (std::vector<std::string>{"a.txt", "src/", "pkg.tar"}));
}

}  // namespace
