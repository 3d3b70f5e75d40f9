#include "image/layer_compress.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>

#include <memory>
#include <vector>

#include "archive/tar_split.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// ISA-L's igzip at level 1: measured here on a 204 MB layer, 396 MB/s against
// zlib's 45 MB/s (level 1) and 21 MB/s (level 6, Docker's default), for 49%
// of the size against 49% and 46%. A push of a local image is bounded by it.
constexpr int kGzipLevel = 1;

std::unique_ptr<ByteReader> open_layer_tar(Store& store, const LayerInfo& layer, UniqueFd* fd) {
  if (layer.blob) {
    std::filesystem::path p = store.blobs().path(*layer.blob);
    *fd = open_or_throw(p, O_RDONLY);
    return std::make_unique<FdReader>(fd->get(), p.string());
  }
  if (!layer.tar_split) throw Error("layer " + layer.diff_id.str() + " keeps neither an archive nor a tar-split");
  return std::make_unique<TarSplitReader>(store.layers().tar_split_path(layer), store.layers().diff_dir(layer));
}

}  // namespace

CompressedLayer compress_layer(Store& store, const LayerInfo& layer, const std::filesystem::path& out) {
  std::string what = "layer " + layer.diff_id.str();
  UniqueFd in_fd;
  std::unique_ptr<ByteReader> source = open_layer_tar(store, layer, &in_fd);
  HashingReader tar(*source);
  UniqueFd out_fd = open_or_throw(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  std::vector<uint8_t> level_buf(ISAL_DEF_LVL1_DEFAULT);
  isal_zstream z;
  isal_deflate_init(&z);
  z.gzip_flag = IGZIP_GZIP;
  z.level = kGzipLevel;
  z.level_buf = level_buf.data();
  z.level_buf_size = static_cast<uint32_t>(level_buf.size());
  std::vector<uint8_t> in(1 << 20), buf(1 << 20);
  Sha256 blob;
  CompressedLayer result;
  for (bool done = false; !done;) {
    size_t n = tar.read(in.data(), in.size());
    done = n == 0;
    z.next_in = in.data();
    z.avail_in = static_cast<uint32_t>(n);
    z.end_of_stream = done ? 1 : 0;
    z.flush = NO_FLUSH;
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uint32_t>(buf.size());
      if (isal_deflate(&z) != COMP_OK) throw Error(what + ": gzip failed");
      size_t have = buf.size() - z.avail_out;
      write_all(out_fd.get(), buf.data(), have, out);
      blob.update(buf.data(), have);
      result.size += static_cast<int64_t>(have);
    } while (z.avail_out == 0 || z.avail_in > 0 || (done && z.internal_state.state != ZSTATE_END));
  }
  if (tar.digest() != layer.diff_id)
    throw Error(what + ": files in its diff/ were changed; run `berth system check`");
  result.digest = blob.finish();
  return result;
}

}  // namespace berth
