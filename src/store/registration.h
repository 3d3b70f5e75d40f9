// Adds new layers, blobs, images and tags to the store as one unit: either all
// of it is committed, or the store is left exactly as it was. Files are moved
// into place inside the SQLite transaction and taken out again on rollback;
// a kill -9 in between leaves only unrecorded files, which `system check`
// removes. Without --sync=full, what it places is marked not yet known durable
// in the same transaction (store/durability_marks.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/durability_marks.h"
#include "store/store.h"

namespace berth {

// A layer extracted under tmp/, ready to become part of the store.
struct StagedLayer {
  std::filesystem::path dir;            // holds diff/
  LayerInfo info;                       // chain, diff, parent, size, blob fields
  std::optional<StagedBlob> blob_file;  // the layer's archive on disk, or
  const std::string* blob_bytes = nullptr;  // in memory (small layers)
};

class Registration {
 public:
  explicit Registration(Store& store);
  ~Registration();
  Registration(const Registration&) = delete;

  // Commits the layer unless its chain is already stored (then it is skipped).
  void add_layer(StagedLayer& layer);
  // Stores the config (and manifest, if any) and the image record; returns the ID.
  Digest add_image(const std::string& config, std::optional<Digest> top_layer,
                   std::optional<std::string> manifest, int64_t now, std::optional<Digest> parent = std::nullopt);
  // Points a full name at the image; returns the image it moved off, if any.
  std::optional<Digest> tag(const std::string& full_name, const Digest& id, int64_t now);
  // Records "name@sha256:…" (the manifest or index a registry served) for the image.
  void add_repo_digest(const std::string& name_at_digest, const Digest& id);
  void commit();

 private:
  void place_blob(const Digest& d, const StagedBlob* file, const std::string* bytes);

  Store& store_;
  DurabilityMarks marks_;
  std::optional<Transaction> tx_;
  std::vector<std::filesystem::path> placed_;  // undone on rollback, newest last
  bool committed_ = false;
};

}  // namespace berth
