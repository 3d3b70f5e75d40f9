// Layer extraction: the tar forms a layer uses, and the hostile ones that must
// never write outside the layer directory (docs/architecture.md §5).
#include "archive/layer_extractor.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/fs.h"

namespace fs = std::filesystem;

namespace {

struct Entry {
  std::string name;
  mode_t type;  // AE_IFREG, AE_IFDIR, AE_IFLNK, or 0 for a hard link
  std::string data;  // file content, or link target
  std::string xattr_name = {}, xattr_value = {};
};

std::string make_tar(const std::vector<Entry>& entries) {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  std::string out(1 << 20, '\0');
  size_t used = 0;
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const Entry& e : entries) {
    struct archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.name.c_str());
    archive_entry_set_mtime(ae, 1700000000, 0);
    if (e.type == 0) {
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_hardlink(ae, e.data.c_str());
      archive_entry_set_size(ae, 0);
    } else {
      archive_entry_set_filetype(ae, e.type);
      archive_entry_set_perm(ae, e.type == AE_IFDIR ? 0755 : 0644);
      if (e.type == AE_IFLNK) archive_entry_set_symlink(ae, e.data.c_str());
      if (e.type == AE_IFREG) archive_entry_set_size(ae, static_cast<la_int64_t>(e.data.size()));
    }
    if (!e.xattr_name.empty())
      archive_entry_xattr_add_entry(ae, e.xattr_name.c_str(), e.xattr_value.data(), e.xattr_value.size());
    archive_write_header(a, ae);
    if (e.type == AE_IFREG) archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("berth-extract-" + berth::random_hex(8));
    fs::create_directories(base_ / "layer");
    fs::create_directories(base_ / "outside");
  }
  void TearDown() override { fs::remove_all(base_); }

  void extract(const std::vector<Entry>& entries,
               berth::ClimbingNames climbing = berth::ClimbingNames::kRefuse) {
    std::string tar = make_tar(entries);
    berth::StringReader r(tar);
    berth::UniqueFd dir = berth::open_or_throw(base_ / "layer", O_RDONLY | O_DIRECTORY);
    berth::extract_layer(r, dir.get(), "test layer", climbing);
  }
  bool outside_is_empty() { return fs::is_empty(base_ / "outside"); }

  fs::path base_;
};

}  // namespace

TEST(CleanMemberName, LexicalCleaning) {
  std::string out;
  EXPECT_TRUE(berth::clean_member_name("./a//b/../c", &out));
  EXPECT_EQ(out, "a/c");
  EXPECT_TRUE(berth::clean_member_name("/etc/passwd", &out));
  EXPECT_EQ(out, "etc/passwd");
  EXPECT_TRUE(berth::clean_member_name("./", &out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(berth::clean_member_name("../x", &out));
  EXPECT_FALSE(berth::clean_member_name("a/../../x", &out));
  EXPECT_FALSE(berth::clean_member_name("/../x", &out));
}

TEST(CleanMemberName, ClampedToTheRootForAdd) {
  using berth::ClimbingNames;
  std::string out;
  EXPECT_TRUE(berth::clean_member_name("../x", &out, ClimbingNames::kClampToRoot));
  EXPECT_EQ(out, "x");
  EXPECT_TRUE(berth::clean_member_name("a/../../../b/c", &out, ClimbingNames::kClampToRoot));
  EXPECT_EQ(out, "b/c");
  EXPECT_TRUE(berth::clean_member_name("/../..", &out, ClimbingNames::kClampToRoot));
  EXPECT_EQ(out, "");
}

// ADD's archives: names above the root land inside it, as Docker's ADD puts
// them — a hard link to "../../etc/passwd" names the layer's own etc/passwd.
TEST_F(ExtractTest, ClampedNamesStayInside) {
  extract({{"../up.txt", AE_IFREG, "up"},
           {"/abs.txt", AE_IFREG, "abs"},
           {"etc/passwd", AE_IFREG, "inside"},
           {"a/../../hard", 0, "../../etc/passwd"}},
          berth::ClimbingNames::kClampToRoot);
  EXPECT_TRUE(fs::exists(base_ / "layer" / "up.txt"));
  EXPECT_TRUE(fs::exists(base_ / "layer" / "abs.txt"));
  EXPECT_EQ(fs::hard_link_count(base_ / "layer" / "hard"), 2u);
  EXPECT_TRUE(outside_is_empty());
  EXPECT_FALSE(fs::exists(base_ / "up.txt"));
}

TEST_F(ExtractTest, FilesDirsLinks) {
  extract({{"etc", AE_IFDIR, ""},
           {"etc/hostname", AE_IFREG, "box\n"},
           {"etc/link", AE_IFLNK, "/etc/hostname"},
           {"etc/hard", 0, "etc/hostname"},
           {"deep/implicit/file", AE_IFREG, "x"}});
  fs::path l = base_ / "layer";
  std::ifstream f(l / "etc/hostname");
  std::string content((std::istreambuf_iterator<char>(f)), {});
  EXPECT_EQ(content, "box\n");
  EXPECT_EQ(fs::read_symlink(l / "etc/link"), "/etc/hostname");
  struct stat a, b;
  ASSERT_EQ(::stat((l / "etc/hostname").c_str(), &a), 0);
  ASSERT_EQ(::stat((l / "etc/hard").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_EQ(a.st_mtime, 1700000000);
  EXPECT_TRUE(fs::exists(l / "deep/implicit/file"));
}

TEST_F(ExtractTest, LaterEntriesReplaceEarlierOnes) {
  extract({{"x", AE_IFDIR, ""}, {"x/in", AE_IFREG, "1"}, {"x", AE_IFREG, "now a file"}});
  EXPECT_TRUE(fs::is_regular_file(base_ / "layer/x"));
}

TEST_F(ExtractTest, DotDotIsRefused) {
  EXPECT_THROW(extract({{"../outside/pwned", AE_IFREG, "x"}}), berth::Error);
  EXPECT_THROW(extract({{"a/../../outside/pwned", AE_IFREG, "x"}}), berth::Error);
  EXPECT_TRUE(outside_is_empty());
}

TEST_F(ExtractTest, AbsoluteNamesStayInside) {
  extract({{"/abs/file", AE_IFREG, "x"}});
  EXPECT_TRUE(fs::exists(base_ / "layer/abs/file"));
}

TEST_F(ExtractTest, WritingThroughASymlinkNeverLeavesTheLayer) {
  // Links that point out of the layer resolve inside it (as in Docker's
  // chroot): to directories the layer does not have, so an error.
  std::string outside = (base_ / "outside").string();
  EXPECT_THROW(extract({{"esc", AE_IFLNK, outside}, {"esc/pwned", AE_IFREG, "x"}}), berth::Error);
  EXPECT_THROW(extract({{"rel", AE_IFLNK, "../outside"}, {"rel/pwned", AE_IFREG, "x"}}), berth::Error);
  EXPECT_TRUE(outside_is_empty());
}

TEST_F(ExtractTest, WritingThroughASymlinkOfTheLayerLandsWhereItPoints) {
  extract({{"usr/lib", AE_IFDIR, ""},
           {"lib", AE_IFLNK, "usr/lib"},
           {"lib/x", AE_IFREG, "via relative"},
           {"abs", AE_IFLNK, "/usr/lib"},
           {"abs/sub/y", AE_IFREG, "via absolute, a directory made below"},
           {"up", AE_IFLNK, "../../../usr"},
           {"up/lib/z", AE_IFREG, "dot-dot stops at the root"}});
  fs::path l = base_ / "layer";
  EXPECT_TRUE(fs::is_regular_file(l / "usr/lib/x"));
  EXPECT_TRUE(fs::is_regular_file(l / "usr/lib/sub/y"));
  EXPECT_TRUE(fs::is_regular_file(l / "usr/lib/z"));
  EXPECT_TRUE(fs::is_symlink(l / "lib"));  // the links stay links
  EXPECT_TRUE(outside_is_empty());
}

TEST_F(ExtractTest, ReplacingASymlinkDoesNotFollowIt) {
  std::ofstream(base_ / "outside/victim") << "keep";
  extract({{"v", AE_IFLNK, (base_ / "outside/victim").string()}, {"v", AE_IFREG, "new"}});
  std::ifstream f(base_ / "outside/victim");
  std::string content((std::istreambuf_iterator<char>(f)), {});
  EXPECT_EQ(content, "keep");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(base_ / "layer/v")));
}

TEST_F(ExtractTest, HardLinksMustStayInside) {
  std::ofstream(base_ / "outside/secret") << "s";
  EXPECT_THROW(extract({{"h", 0, "../outside/secret"}}), berth::Error);
  EXPECT_THROW(extract({{"h", 0, (base_ / "outside/secret").string()}}), berth::Error);
  EXPECT_THROW(extract({{"sl", AE_IFLNK, (base_ / "outside").string()}, {"h", 0, "sl/secret"}}), berth::Error);
  struct stat st;
  ASSERT_EQ(::stat((base_ / "outside/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST_F(ExtractTest, OverlayXattrsAreRefused) {
  EXPECT_THROW(extract({{"d", AE_IFDIR, "", "trusted.overlay.redirect", "/etc"}}), berth::Error);
}

TEST_F(ExtractTest, WhiteoutsBecomeOverlayForm) {
  if (::geteuid() != 0) GTEST_SKIP() << "whiteout devices need CAP_MKNOD";
  extract({{"d", AE_IFDIR, ""}, {"d/.wh..wh..opq", AE_IFREG, ""}, {"d/.wh.gone", AE_IFREG, ""}});
  struct stat st;
  ASSERT_EQ(::lstat((base_ / "layer/d/gone").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, 0u);
  char v[4] = {};
  EXPECT_EQ(::getxattr((base_ / "layer/d").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_EQ(v[0], 'y');
  EXPECT_FALSE(fs::exists(base_ / "layer/d/.wh.gone"));
}

TEST_F(ExtractTest, TruncatedTarIsAnError) {
  std::string tar = make_tar({{"f", AE_IFREG, std::string(5000, 'x')}});
  std::string cut = tar.substr(0, 2048);
  berth::StringReader r(cut);
  berth::UniqueFd dir = berth::open_or_throw(base_ / "layer", O_RDONLY | O_DIRECTORY);
  EXPECT_THROW(berth::extract_layer(r, dir.get(), "test"), berth::Error);
}
