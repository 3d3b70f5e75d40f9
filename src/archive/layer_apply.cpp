#include "archive/layer_apply.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "archive/layer_extractor.h"
#include <unistd.h>
#include "core/error.h"
#include "core/fs.h"
#include "core/manifest.h"

namespace berth {

AppliedLayer apply_layer(ByteReader& blob, const std::filesystem::path& staged_dir, const std::string& what) {
  std::filesystem::path diff = staged_dir / "diff";
  if (::mkdir(diff.c_str(), 0755) != 0) throw_errno("create " + diff.string());
  UniqueFd diff_fd = open_or_throw(diff, O_RDONLY | O_DIRECTORY);

  HashingReader raw(blob);
  DecompressingReader plain(raw, what);
  HashingReader tar(plain);
  ExtractStats stats = extract_layer(tar, diff_fd.get(), what);
  tar.drain();  // the diff ID covers the padding after the end-of-archive blocks too

  AppliedLayer out;
  out.compression = plain.compression();
  out.diff_id = tar.digest();
  out.blob = raw.digest();
  out.blob_size = static_cast<int64_t>(raw.size());
  out.size = stats.bytes;
  if (::syncfs(diff_fd.get()) != 0) throw_errno("sync " + diff.string());
  return out;
}

const char* layer_media_type(Compression c) {
  switch (c) {
    case Compression::kGzip: return media_type::kOciLayerGzip;
    case Compression::kZstd: return media_type::kOciLayerZstd;
    case Compression::kNone: break;
  }
  return media_type::kOciLayer;
}

}  // namespace berth
