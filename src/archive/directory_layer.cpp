#include "archive/directory_layer.h"

#include <fcntl.h>

#include "archive/directory_tar.h"
#include "archive/layer_apply.h"
#include "core/byte_reader.h"
#include "core/fs.h"

namespace berth {

DirectoryLayer layer_from_directory(const StagingDir& staging, const std::filesystem::path& changes,
                                    const std::vector<Digest>& parent_diff_ids, const std::string& what,
                                    std::optional<int64_t> clamp_mtime) {
  std::filesystem::path tar_file = staging.path() / "layer.tar";
  {
    UniqueFd out = open_or_throw(tar_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    UniqueFd dir = open_or_throw(changes, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    TarOptions options;
    options.mode = DirectoryTarMode::kOverlayLayer;
    options.clamp_mtime = clamp_mtime;
    write_directory_tar(dir.get(), out.get(), options);
  }
  std::filesystem::path layer_dir = staging.path() / "layer";
  std::filesystem::create_directory(layer_dir);
  AppliedLayer applied;
  {
    UniqueFd in = open_or_throw(tar_file, O_RDONLY | O_CLOEXEC);
    FdReader reader(in.get(), tar_file.string());
    applied = apply_layer(reader, layer_dir, what);
  }
  DirectoryLayer out;
  out.diff_id = applied.diff_id;
  out.diff_ids = parent_diff_ids;
  out.diff_ids.push_back(applied.diff_id);
  std::vector<Digest> chains = chain_ids(out.diff_ids);
  out.chain_id = chains.back();
  out.staged.dir = layer_dir;
  out.staged.info.chain_id = chains.back();
  if (chains.size() > 1) out.staged.info.parent = chains[chains.size() - 2];
  describe_applied_layer(applied, &out.staged.info);
  out.staged.blob_file = tar_file;
  if (!out.staged.info.blob) std::filesystem::remove(tar_file);  // diff/ + tar-split describe it
  return out;
}

}  // namespace berth
