#include "store/registration.h"

#include <unistd.h>

#include "core/error.h"

namespace berth {

Registration::Registration(Store& store) : store_(store), marks_(store.db()) { tx_.emplace(store.db()); }

Registration::~Registration() {
  if (committed_) return;
  tx_.reset();  // rollback first: no record may point at a file we remove
  for (auto it = placed_.rbegin(); it != placed_.rend(); ++it) {
    try {
      remove_tree(*it);
    } catch (...) {
      // Leftovers are unrecorded; `system check` removes them.
    }
  }
}

void Registration::place_blob(const Digest& d, const StagedBlob* file, const std::string* bytes) {
  // A file already there may be one a killed command renamed in and never
  // recorded, not yet on disk: marked all the same.
  marks_.mark(DurabilityMarks::kBlob, d.str());
  if (store_.blobs().has(d)) return;
  if (file)
    store_.blobs().adopt(*file, d);
  else
    store_.blobs().put(*bytes);
  placed_.push_back(store_.blobs().path(d));
}

void Registration::add_layer(StagedLayer& layer) {
  if (store_.layers().get(layer.info.chain_id)) return;
  if (layer.info.blob) place_blob(*layer.info.blob, layer.blob_file ? &*layer.blob_file : nullptr, layer.blob_bytes);
  if (store_.layers().commit(layer.dir, layer.info, &placed_)) marks_.mark(DurabilityMarks::kLayer, layer.info.chain_id.str());
}

Digest Registration::add_image(const std::string& config, std::optional<Digest> top_layer,
                               std::optional<std::string> manifest, int64_t now, std::optional<Digest> parent) {
  Digest id = Digest::of(config);
  place_blob(id, nullptr, &config);
  ImageRecord rec{id, top_layer, std::nullopt, now};
  rec.parent = parent;
  if (manifest) {
    rec.manifest = Digest::of(*manifest);
    place_blob(*rec.manifest, nullptr, &*manifest);
  }
  store_.images().add(rec);
  return id;
}

std::optional<Digest> Registration::tag(const std::string& full_name, const Digest& id, int64_t now) {
  return store_.images().set_tag(full_name, id, now);
}

void Registration::add_repo_digest(const std::string& name_at_digest, const Digest& id) {
  store_.images().add_repo_digest(name_at_digest, id);
}

void Registration::commit() {
  tx_->commit();
  committed_ = true;
}

}  // namespace berth
