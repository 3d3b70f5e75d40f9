// .dockerignore as Docker applies it: the last matching pattern decides, a
// directory's pattern covers what is below it, and an exception brings back a
// file below an excluded directory (the directory is then sent with only it).
#include <gtest/gtest.h>

#include <fstream>

#include "builder/dockerignore.h"
#include "core/fs.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

class DockerIgnoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("berth-ignore-" + random_hex(8));
    for (const char* f : {"ign/keep.txt", "ign/deep/i.txt", "keepdir/k.txt", "keepdir/inner/x.txt", "node_modules/m/x.js",
                          "a.log", "keep.log"}) {
      fs::create_directories((root_ / f).parent_path());
      std::ofstream(root_ / f) << "x";
    }
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

TEST_F(DockerIgnoreTest, TheLastMatchingPatternDecides) {
  DockerIgnore ignore("*.log\n!keep.log\n# a comment\n node_modules \n");
  EXPECT_TRUE(ignore.excluded("a.log"));
  EXPECT_FALSE(ignore.excluded("keep.log"));
  EXPECT_TRUE(ignore.excluded("node_modules/m/x.js"));  // below an excluded directory
  EXPECT_FALSE(ignore.excluded("ign/keep.txt"));
}

TEST_F(DockerIgnoreTest, ExceptionsBringBackFilesBelowAnExcludedDirectory) {
  DockerIgnore ignore("ign\n!ign/keep.txt\nkeepdir/**\n!keepdir/inner/x.txt\nnode_modules\n");
  EXPECT_FALSE(ignore.leaves_out(root_, "ign"));          // sent, with keep.txt only
  EXPECT_FALSE(ignore.leaves_out(root_, "ign/keep.txt"));
  EXPECT_TRUE(ignore.leaves_out(root_, "ign/deep"));
  EXPECT_FALSE(ignore.leaves_out(root_, "keepdir/inner"));
  EXPECT_TRUE(ignore.leaves_out(root_, "keepdir/k.txt"));
  EXPECT_TRUE(ignore.leaves_out(root_, "node_modules"));  // no exception could reach below it
}

TEST_F(DockerIgnoreTest, AnExceptionWithAWildcardLooksBelowEveryExcludedDirectory) {
  DockerIgnore ignore("node_modules\nign\n!**/x.js\n");
  EXPECT_FALSE(ignore.leaves_out(root_, "node_modules"));
  EXPECT_TRUE(ignore.leaves_out(root_, "ign"));  // nothing there matches
}

}  // namespace
}  // namespace berth
