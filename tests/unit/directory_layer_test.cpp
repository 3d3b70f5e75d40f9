// A build step's upper dir adopted as its layer (moved, not copied) must be
// the same layer a copy through tar makes: the same diff ID, and a tar-split
// that rebuilds exactly the stream the diff ID names.
#include "image/directory_layer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "image/layer_apply.h"
#include "archive/tar_split.h"
#include "core/byte_reader.h"
#include "core/fs.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace {

// Files, a directory, a long name (PAX), a symlink, hard links, an empty file.
void make_tree(const fs::path& root) {
  fs::create_directories(root / "etc/app");
  berth::write_file_atomic(root / "etc/app/config", "key = value\n", 0640);
  berth::write_file_atomic(root / "etc/empty", "", 0600);
  std::string long_dir = "usr/share/" + std::string(60, 'd');
  fs::create_directories(root / long_dir);
  berth::write_file_atomic(root / long_dir / (std::string(70, 'f') + ".txt"), std::string(100000, 'x'), 0644);
  fs::create_symlink("app/config", root / "etc/link");
  berth::write_file_atomic(root / "bin-tool", "#!/bin/sh\n", 0755);
  fs::create_hard_link(root / "bin-tool", root / "bin-tool-alias");
}

TEST(DirectoryLayer, AdoptedUpperDirIsTheLayerACopyMakes) {
  fs::path dir = fs::temp_directory_path() / ("berth-adopt-" + berth::random_hex(8));
  fs::create_directories(dir);
  {
    berth::Store store(dir / "root");
    make_tree(dir / "copied");
    make_tree(dir / "adopted");
    const int64_t epoch = 1000000;  // the two trees were made at different times
    berth::StagingDir copy_staging = store.make_staging_dir("test");
    berth::StagingDir adopt_staging = store.make_staging_dir("test");
    berth::DirectoryLayer copied = berth::layer_from_directory(copy_staging, dir / "copied", {}, "copied", epoch);
    berth::DirectoryLayer adopted = berth::adopt_directory_as_layer(adopt_staging, dir / "adopted", {}, "adopted", epoch);

    EXPECT_EQ(adopted.diff_id, copied.diff_id);
    EXPECT_EQ(adopted.chain_id, copied.chain_id);
    // Sizes as Docker gives them: a build step's (BuildKit's) counts regular files only, a
    // commit's (the daemon's own diff) symlinks' targets too — here "app/config".
    EXPECT_EQ(adopted.staged.info.size + 10, copied.staged.info.size);
    EXPECT_EQ(adopted.staged.info.tar_size, copied.staged.info.tar_size);
    EXPECT_TRUE(adopted.staged.info.tar_split);
    EXPECT_FALSE(adopted.staged.info.blob);

    // Moved, not copied: the hard link is still one inode.
    EXPECT_FALSE(fs::exists(dir / "adopted"));
    fs::path diff = adopted.staged.dir / "diff";
    EXPECT_EQ(fs::hard_link_count(diff / "bin-tool"), 2u);

    // The tar-split and diff/ rebuild the stream the diff ID names.
    berth::TarSplitReader rebuilt(adopted.staged.dir / berth::kTarSplitFile, diff);
    berth::HashingReader hashed(rebuilt);
    hashed.drain();
    EXPECT_EQ(hashed.digest(), adopted.diff_id);
    EXPECT_EQ(static_cast<int64_t>(hashed.size()), adopted.staged.info.tar_size);
  }
  fs::remove_all(dir);
}

}  // namespace
