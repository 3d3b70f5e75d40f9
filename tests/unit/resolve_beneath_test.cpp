// Symlinks followed inside a root, as Docker's FollowSymlinkInScope: a COPY
// destination through an image's /bin -> usr/bin lands in usr/bin, and no
// link — absolute, climbing, looping — leads out of the root.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/fs.h"

namespace fs = std::filesystem;

namespace {

class ResolveBeneath : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("berth-resolve-" + berth::random_hex(8));
    fs::create_directories(root_ / "usr/bin");
    fs::create_symlink("usr/bin", root_ / "bin");          // Debian's merged /usr
    fs::create_symlink("/usr/lib", root_ / "lib");         // absolute: from the root, not the host's
    fs::create_symlink("../../../..", root_ / "usr/up");   // climbs as far as it can
    fs::create_symlink("loop-b", root_ / "loop-a");
    fs::create_symlink("loop-a", root_ / "loop-b");
    fd_ = berth::UniqueFd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string resolve(const std::string& rel) { return berth::resolve_beneath(fd_.get(), rel); }

  fs::path root_;
  berth::UniqueFd fd_;
};

TEST_F(ResolveBeneath, FollowsLinksInsideTheRoot) {
  EXPECT_EQ(resolve("bin/tool"), "usr/bin/tool");
  EXPECT_EQ(resolve("bin"), "usr/bin");
  EXPECT_EQ(resolve("lib/x.so"), "usr/lib/x.so");  // usr/lib does not exist: kept as written
  EXPECT_EQ(resolve("etc/./app/../conf"), "etc/conf");
  EXPECT_EQ(resolve(""), "");
}

TEST_F(ResolveBeneath, NeverLeavesTheRoot) {
  EXPECT_EQ(resolve("usr/up/etc/passwd"), "etc/passwd");
  EXPECT_EQ(resolve("../../etc"), "etc");
  EXPECT_THROW(resolve("loop-a/x"), berth::Error);
}

}  // namespace
