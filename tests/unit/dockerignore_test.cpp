// .dockerignore as Docker applies it: the last matching pattern decides, a
// directory's pattern covers what is below it, and an exception brings back a
// file below an excluded directory (the directory is then sent with only it).
#include <gtest/gtest.h>

#include <fstream>

#include "builder/build_context.h"
#include "builder/dockerignore.h"
#include "builder/path_glob.h"
#include "core/error.h"
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

// COPY --exclude takes the same patterns from its flags: no comments, the
// flag's name in the error.
TEST_F(DockerIgnoreTest, ExcludeFlagsUseTheSameMatcher) {
  DockerIgnore excludes = DockerIgnore::from_patterns({"#x", "*.log", "!keep.log"}, "--exclude pattern");
  EXPECT_TRUE(excludes.excluded("#x"));
  EXPECT_TRUE(excludes.excluded("a.log"));
  EXPECT_FALSE(excludes.excluded("keep.log"));
  EXPECT_TRUE(DockerIgnore::from_patterns({}, "--exclude pattern").empty());
  try {
    DockerIgnore::from_patterns({"a[b"}, "--exclude pattern");
    FAIL() << "a malformed pattern was taken";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "invalid --exclude pattern \"a[b\": syntax error in pattern");
  }
}

// COPY --parents' patterns: ** is any number of directories (none too); a
// plain COPY reads it as Go's filepath.Match does, as *.
TEST_F(DockerIgnoreTest, DoubleStarCrossesDirectoriesOnlyForParents) {
  std::vector<std::string> deep = expand_sources(root_, "**/*.txt", nullptr, DoubleStar::kAnyDepth);
  EXPECT_EQ(deep, (std::vector<std::string>{"ign/keep.txt", "ign/deep/i.txt", "keepdir/k.txt", "keepdir/inner/x.txt"}));
  std::vector<std::string> flat = expand_sources(root_, "**/*.txt", nullptr);
  EXPECT_EQ(flat, (std::vector<std::string>{"ign/keep.txt", "keepdir/k.txt"}));
}

// moby/patternmatcher's language, pattern by pattern.
TEST(PathGlobTest, TheLanguageOfPatterns) {
  auto m = [](const std::string& pattern, const std::string& path) { return PathGlob(pattern).matches_or_parent(path); };
  EXPECT_TRUE(m("*.go", "main.go"));
  EXPECT_FALSE(m("*.go", "cmd/main.go"));   // * stays within an element
  EXPECT_TRUE(m("cmd", "cmd/main.go"));     // a directory covers what is below it
  EXPECT_FALSE(m("cm", "cmd/main.go"));
  EXPECT_TRUE(m("**/*.go", "main.go"));     // **/: any directories, or none
  EXPECT_TRUE(m("**/*.go", "a/b/main.go"));
  EXPECT_TRUE(m("a/**/b", "a/b"));
  EXPECT_TRUE(m("a/**/b", "a/x/y/b/c"));
  EXPECT_FALSE(m("a/**/b", "a/xb"));
  EXPECT_TRUE(m("a**", "ab/c"));            // ** not before /: anything
  EXPECT_TRUE(m("a/**", "a/b/c"));
  EXPECT_TRUE(m("?.txt", "a.txt"));
  EXPECT_FALSE(m("?.txt", "/.txt"));
  EXPECT_TRUE(m("[a-c]x", "bx"));
  EXPECT_FALSE(m("[^a-c]x", "bx"));
  EXPECT_TRUE(m("[^a-c]x", "dx"));
  EXPECT_TRUE(m("[-a]", "-"));
  EXPECT_TRUE(m("\\*", "*"));
  EXPECT_FALSE(m("\\*", "x"));
  EXPECT_TRUE(m("", ""));
  for (const char* bad : {"a[b", "[]", "[^]", "[z-a]"}) EXPECT_THROW(PathGlob{bad}, Error) << bad;
}

// std::regex, which this replaced, backtracked for minutes on such a pattern
// (found by fuzz_dockerignore; the input is in its corpus).
TEST(PathGlobTest, ManyStarsDoNotBacktrack) {
  std::string stars(40, '*');
  EXPECT_FALSE(PathGlob(stars + "\x1d" + std::string(8, '*') + "z").matches_or_parent(std::string(200, 'a') + "/b"));
  EXPECT_TRUE(PathGlob(stars + "a").matches_or_parent(std::string(200, 'a')));
}

TEST(KeptPathsTest, KeepsMatchesWhatIsBelowThemAndTheWayToThem) {
  KeptPaths kept({"a/b/c.txt", "d"});
  EXPECT_TRUE(kept.keeps("a"));
  EXPECT_TRUE(kept.keeps("a/b"));
  EXPECT_TRUE(kept.keeps("a/b/c.txt"));
  EXPECT_FALSE(kept.keeps("a/b/other.txt"));
  EXPECT_FALSE(kept.keeps("a/bb"));
  EXPECT_TRUE(kept.keeps("d/e/f"));
  EXPECT_FALSE(kept.keeps("dd"));
  EXPECT_FALSE(KeptPaths({}).keeps("a"));
  EXPECT_TRUE(KeptPaths({""}).keeps("anything/at/all"));
}

}  // namespace
}  // namespace berth
