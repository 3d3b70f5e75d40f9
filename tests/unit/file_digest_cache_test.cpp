// The build's remembered content digests: a file's digest is read once and
// then known by its identity, until the file changes — even when its size and
// mtime are put back — and a file changed just before the build is never
// remembered (it could change again without its times moving).
#include "store/file_digest_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>

#include "core/digest.h"
#include "core/error.h"
#include "core/fs.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace {

class FileDigestCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-digests-" + berth::random_hex(8));
    fs::create_directories(dir_);
    store_ = std::make_unique<berth::Store>(dir_ / "root");
    file_ = dir_ / "file.txt";
    berth::write_file_atomic(file_, "first content", 0644);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // A build that starts `later_s` seconds from now: the file is then old enough to remember.
  static int64_t now_plus(int later_s) {
    timespec now;
    ::clock_gettime(CLOCK_REALTIME, &now);
    return (static_cast<int64_t>(now.tv_sec) + later_s) * 1000000000 + now.tv_nsec;
  }

  // The file's digest as a cache sees it through `fd` (opened with `flags`).
  std::string digest_via(berth::FileDigestCache& cache, int flags) {
    berth::UniqueFd fd(::open(file_.c_str(), flags | O_CLOEXEC));
    struct stat st;
    EXPECT_EQ(::fstat(fd.get(), &st), 0);
    return cache.digest(fd.get(), st);
  }

  fs::path dir_, file_;
  std::unique_ptr<berth::Store> store_;
};

TEST_F(FileDigestCacheTest, ReadsTheContentOnce) {
  std::string expected = berth::Digest::of("first content").hex();
  {
    berth::FileDigestCache cache(store_->db(), now_plus(10));
    EXPECT_EQ(digest_via(cache, O_RDONLY), expected);
    cache.save();
  }
  // Through a descriptor that cannot be read: the answer can only come from what was remembered.
  berth::FileDigestCache again(store_->db(), now_plus(10));
  EXPECT_EQ(digest_via(again, O_WRONLY), expected);
}

TEST_F(FileDigestCacheTest, AChangeIsSeenEvenWithSizeAndMtimePutBack) {
  struct stat before;
  ASSERT_EQ(::stat(file_.c_str(), &before), 0);
  {
    berth::FileDigestCache cache(store_->db(), now_plus(10));
    digest_via(cache, O_RDONLY);
    cache.save();
  }
  // Same inode, same size, same mtime: only the ctime tells.
  {
    berth::UniqueFd fd(::open(file_.c_str(), O_WRONLY | O_CLOEXEC));
    ASSERT_EQ(::pwrite(fd.get(), "FIRST", 5, 0), 5);
    timespec times[2] = {before.st_atim, before.st_mtim};
    ASSERT_EQ(::futimens(fd.get(), times), 0);
  }
  struct stat after;
  ASSERT_EQ(::stat(file_.c_str(), &after), 0);
  ASSERT_EQ(after.st_ino, before.st_ino);
  ASSERT_EQ(after.st_size, before.st_size);
  berth::FileDigestCache cache(store_->db(), now_plus(10));
  EXPECT_EQ(digest_via(cache, O_RDONLY), berth::Digest::of("FIRST content").hex());
}

TEST_F(FileDigestCacheTest, AFileChangedJustBeforeTheBuildIsNotRemembered) {
  {
    berth::FileDigestCache cache(store_->db());  // the build starts now: the file was written this second
    EXPECT_EQ(digest_via(cache, O_RDONLY), berth::Digest::of("first content").hex());
    cache.save();
  }
  berth::FileDigestCache again(store_->db(), now_plus(10));
  EXPECT_THROW(digest_via(again, O_WRONLY), berth::Error);  // it has to read: nothing was remembered
}

}  // namespace
