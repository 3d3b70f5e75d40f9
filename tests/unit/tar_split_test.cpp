// tar-split: a layer's tar rebuilt from diff/ and the recorded headers must be
// the original stream byte for byte, in every tar dialect layers come in.
#include "archive/tar_split.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "image/layer_apply.h"
#include "core/error.h"
#include "core/fs.h"

namespace fs = std::filesystem;

namespace {

std::string make_tar(int format, bool with_trailing_garbage_blocks) {
  struct archive* a = archive_write_new();
  archive_write_set_format(a, format);
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out(4 << 20, '\0');
  size_t used = 0;
  archive_write_open_memory(a, out.data(), out.size(), &used);
  auto add = [&](const std::string& name, mode_t type, const std::string& data, const char* link = nullptr) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_uid(e, 1000);
    if (type == AE_IFLNK) archive_entry_set_symlink(e, link);
    if (type == AE_IFREG && link) archive_entry_set_hardlink(e, link);
    if (type == AE_IFREG && !link) archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    if (type == AE_IFREG && !link) archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  };
  add("etc", AE_IFDIR, "");
  add("etc/hostname", AE_IFREG, "box\n");
  add("etc/empty", AE_IFREG, "");
  add("etc/odd-size", AE_IFREG, std::string(513, 'x'));
  add("etc/link", AE_IFLNK, "", "hostname");
  add("etc/hard", AE_IFREG, "", "etc/hostname");
  std::string long_dir = "usr/share/" + std::string(120, 'd');
  add(long_dir, AE_IFDIR, "");
  add(long_dir + "/" + std::string(150, 'f'), AE_IFREG, std::string(100000, 'y'));
  add("unicodé/файл", AE_IFREG, "utf-8 names\n");
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  if (with_trailing_garbage_blocks) out += std::string(2048, '\0');
  return out;
}

class TarSplitTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { dir_ = fs::temp_directory_path() / ("berth-ts-" + berth::random_hex(8)); fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

}  // namespace

TEST_P(TarSplitTest, RebuildsTheExactStream) {
  for (bool padded : {false, true}) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string tar = make_tar(GetParam(), padded);
    berth::StringReader in(tar);
    berth::AppliedLayer applied = berth::apply_layer(in, dir_, "test");
    ASSERT_TRUE(applied.tar_split);
    EXPECT_EQ(applied.diff_id, berth::Digest::of(tar));
    EXPECT_EQ(applied.tar_size, static_cast<int64_t>(tar.size()));
    EXPECT_LT(fs::file_size(dir_ / berth::kTarSplitFile), tar.size() / 10);

    berth::TarSplitReader rebuilt(dir_ / berth::kTarSplitFile, dir_ / "diff");
    std::string out = berth::read_up_to(rebuilt, tar.size() + 1);
    ASSERT_EQ(out.size(), tar.size());
    EXPECT_TRUE(out == tar) << "rebuilt stream differs";
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, TarSplitTest,
                         ::testing::Values(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE,
                                           ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FORMAT_TAR_USTAR));

TEST(TarSplit, ChangedFilesAreDetectedOnRebuild) {
  fs::path dir = fs::temp_directory_path() / ("berth-ts-" + berth::random_hex(8));
  fs::create_directories(dir);
  std::string tar = make_tar(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, false);
  berth::StringReader in(tar);
  berth::AppliedLayer applied = berth::apply_layer(in, dir, "test");
  fs::resize_file(dir / "diff/etc/odd-size", 10);
  berth::TarSplitReader rebuilt(dir / berth::kTarSplitFile, dir / "diff");
  EXPECT_THROW(berth::read_up_to(rebuilt, tar.size()), berth::Error);
  fs::remove_all(dir);
}

TEST(TarSplit, AFileWrittenTwiceIsNotRepresentable) {
  fs::path dir = fs::temp_directory_path() / ("berth-ts-" + berth::random_hex(8));
  fs::create_directories(dir);
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  std::string out(1 << 20, '\0');
  size_t used = 0;
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const char* content : {"first", "second"}) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, "f");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, 5 + (content[0] == 's'));
    archive_write_header(a, e);
    archive_write_data(a, content, strlen(content));
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  berth::StringReader in(out);
  berth::AppliedLayer applied = berth::apply_layer(in, dir, "test");
  EXPECT_FALSE(applied.tar_split);  // the caller keeps the archive instead
  EXPECT_EQ(applied.diff_id, berth::Digest::of(out));
  fs::remove_all(dir);
}
