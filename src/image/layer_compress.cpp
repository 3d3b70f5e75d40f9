#include "image/layer_compress.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>

#include <memory>
#include <vector>

#include "image/layer.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// ISA-L's igzip at level 1: measured here on a 204 MB layer, 396 MB/s against
// zlib's 45 MB/s (level 1) and 21 MB/s (level 6, Docker's default), for 49%
// of the size against 49% and 46%. A push of a local image is bounded by it.
constexpr int kGzipLevel = 1;

// ISA-L's deflate at kGzipLevel, with the buffer that level needs.
struct Deflater {
  std::vector<uint8_t> level_buf = std::vector<uint8_t>(ISAL_DEF_LVL1_DEFAULT);
  isal_zstream z;
  Deflater(const Deflater&) = delete;  // z points into level_buf
  explicit Deflater(bool gzip_wrapper) {
    isal_deflate_init(&z);
    if (gzip_wrapper) z.gzip_flag = IGZIP_GZIP;
    z.level = kGzipLevel;
    z.level_buf = level_buf.data();
    z.level_buf_size = static_cast<uint32_t>(level_buf.size());
  }
};

}  // namespace

bool layer_compresses(Store& store, const LayerInfo& layer) {
  UncompressedLayer tar(store, layer);
  return sample_compresses(read_up_to(tar, kCompressionSample));
}

bool sample_compresses(std::string_view sample) {
  std::string_view in = sample.substr(0, kCompressionSample);
  if (in.empty()) return false;
  std::vector<uint8_t> out(in.size() + (in.size() >> 4) + 1024);
  Deflater d(false);
  isal_zstream& z = d.z;
  z.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));  // (ISA-L only reads it)
  z.avail_in = static_cast<uint32_t>(in.size());
  z.end_of_stream = 1;
  z.flush = NO_FLUSH;
  z.next_out = out.data();
  z.avail_out = static_cast<uint32_t>(out.size());
  if (isal_deflate(&z) != COMP_OK) return true;  // (cannot tell: compress, as always)
  return z.total_out * 10 < in.size() * 9;
}

StagedBlob compress_layer(Store& store, const LayerInfo& layer, const std::filesystem::path& out) {
  std::string what = "layer " + layer.diff_id.str();
  UncompressedLayer tar(store, layer);
  BlobWriter blob(out);

  Deflater d(true);
  isal_zstream& z = d.z;
  std::vector<uint8_t> in(1 << 20), buf(1 << 20);
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
      blob.write(buf.data(), have);
    } while (z.avail_out == 0 || z.avail_in > 0 || (done && z.internal_state.state != ZSTATE_END));
  }
  tar.verify();
  return blob.finish();
}

}  // namespace berth
