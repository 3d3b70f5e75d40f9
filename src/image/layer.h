// A layer as an image holds it, in the one shape load, save, pull, push and
// `system check` speak of (go-containerregistry's v1.Layer, over the store):
// its diff ID, the archive it is kept or sent as — digest, media type, size —
// and the two ways to read it: compressed (that archive, from the blob store)
// or uncompressed (its tar: the archive decompressed, or rebuilt from diff/
// and its tar-split). Build and commit make layers with no archive kept; one
// is made (gzip) when a push needs it (image/layer_compress.h).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/layer_store.h"
#include "store/store.h"

namespace berth {

struct Layer {
  Digest diff_id;                // sha256 of the uncompressed tar
  std::optional<Digest> digest;  // of the archive kept in the blob store, when one is
  std::string media_type;        // of the archive (the plain tar's when none is kept)
  int64_t size = 0;              // bytes of the archive (of the tar when none is kept)

  // The digest an archive of this layer goes out under: the kept blob's, else the tar's.
  const Digest& archive_digest() const { return digest ? *digest : diff_id; }
  // Kept gzip- or zstd-compressed: what push sends as it is.
  bool compressed() const;
};

// The layer a store record describes.
Layer layer_of(const LayerInfo& record);

// What a layer archive turns out to be, read to its end without extracting it:
// both digests, its compression and size.
Layer hash_layer_archive(ByteReader& archive, const std::string& what);

// The layer's kept archive, as it came (the record must keep one).
UniqueFd open_compressed(Store& store, const LayerInfo& record);

// The layer's tar: its kept archive decompressed, or rebuilt from diff/ and
// the tar-split. Hashed as it is read: verify() once it was read whole.
class UncompressedLayer : public ByteReader {
 public:
  UncompressedLayer(Store& store, const LayerInfo& record);
  ~UncompressedLayer() override;
  size_t read(void* buf, size_t size) override;
  // The digest of the bytes read; once.
  Digest digest();
  // Throws unless the bytes read hash to the diff ID; once, instead of digest().
  void verify();

 private:
  Digest diff_id_;
  UniqueFd fd_;
  std::unique_ptr<ByteReader> file_;
  std::unique_ptr<ByteReader> source_;
  std::unique_ptr<HashingReader> hashed_;
};

}  // namespace berth
