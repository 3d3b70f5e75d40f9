#include "image/layer.h"

#include "archive/tar_split.h"
#include "core/error.h"
#include "core/manifest.h"
#include "image/layer_apply.h"

namespace berth {

bool Layer::compressed() const {
  return digest && (media_type.ends_with("gzip") || media_type.ends_with("zstd"));
}

Layer layer_of(const LayerInfo& record) {
  if (record.blob) return {record.diff_id, record.blob, record.blob_media_type, record.blob_size};
  return {record.diff_id, std::nullopt, media_type::kOciLayer, record.tar_size};
}

Layer hash_layer_archive(ByteReader& archive, const std::string& what) {
  HashingReader raw(archive);
  DecompressingReader plain(raw, what);
  HashingReader tar(plain);
  tar.drain();
  return {tar.digest(), raw.digest(), layer_media_type(plain.compression()), static_cast<int64_t>(raw.size())};
}

UniqueFd open_compressed(Store& store, const LayerInfo& record) {
  if (!record.blob) throw Error("layer " + record.diff_id.str() + " keeps no archive");
  return store.blobs().open(*record.blob);
}

UncompressedLayer::UncompressedLayer(Store& store, const LayerInfo& record) : diff_id_(record.diff_id) {
  if (record.blob) {
    std::string what = "blob " + record.blob->str();
    fd_ = open_compressed(store, record);
    file_ = std::make_unique<FdReader>(fd_.get(), what);
    source_ = std::make_unique<DecompressingReader>(*file_, what);
  } else {
    if (!record.tar_split)
      throw Error("layer " + record.diff_id.str() + " keeps neither an archive nor a tar-split");
    source_ = std::make_unique<TarSplitReader>(store.layers().tar_split_path(record), store.layers().diff_dir(record));
  }
  hashed_ = std::make_unique<HashingReader>(*source_);
}

UncompressedLayer::~UncompressedLayer() = default;

size_t UncompressedLayer::read(void* buf, size_t size) { return hashed_->read(buf, size); }

Digest UncompressedLayer::digest() { return hashed_->digest(); }

void UncompressedLayer::verify() {
  if (digest() != diff_id_)
    throw Error("layer " + diff_id_.str() + ": files in its diff/ were changed; run `berth system check`");
}

}  // namespace berth
