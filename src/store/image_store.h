// The image store: which images exist (by ID = config digest), the top layer
// of each, and the names (tags, repo digests) that point at them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "store/database.h"

namespace berth {

struct ImageRecord {
  Digest id;
  std::optional<Digest> top_layer;  // absent for an image with no layers
  std::optional<Digest> manifest;   // the manifest it came with, kept as a blob
  int64_t added_at = 0;             // unix seconds when it entered this store
  int64_t last_tag_time = 0;        // unix nanoseconds of the last `tag`; 0 if never
  std::optional<Digest> parent = std::nullopt;  // a built image's previous step (Docker's Parent)
};

struct TagRecord {
  std::string name;  // full normalised reference: docker.io/library/busybox:latest
  Digest image_id;
  int64_t tagged_at = 0;
};

class ImageStore {
 public:
  explicit ImageStore(Database& db) : db_(db) {}

  // Adds an image record unless one exists; returns true when it was new.
  bool add(const ImageRecord& rec);
  std::optional<ImageRecord> get(const Digest& id);
  std::vector<ImageRecord> list();
  void remove(const Digest& id);

  std::vector<TagRecord> tags();
  std::vector<std::string> tags_of(const Digest& id);
  // Every tag, by name ("localhost:5000/app:1.0"), sorted.
  std::vector<std::string> tag_names();
  std::vector<std::string> repo_digests_of(const Digest& id);
  std::optional<Digest> by_name(const std::string& full_name);
  // Points `full_name` at `id`; returns the image it pointed at before, if other.
  std::optional<Digest> set_tag(const std::string& full_name, const Digest& id, int64_t now);
  // Records the manifest an image was pushed with, when it had none.
  void set_manifest_if_none(const Digest& id, const Digest& manifest);
  void add_repo_digest(const std::string& full_name, const Digest& id);
  // Records that the user tagged the image (Docker's Metadata.LastTagTime).
  void touch_last_tag_time(const Digest& id, int64_t unix_nanos);
  bool remove_name(const std::string& full_name);
  void remove_names_of(const Digest& id);
  // Images whose parent is `id` (the next steps of builds).
  std::vector<Digest> children_of(const Digest& id);

  // The build cache: a step's key (its parent, instruction, arguments and
  // sources) -> the image it made. Entries go with their image.
  std::optional<Digest> cached_step(const std::string& key);
  void cache_step(const std::string& key, const Digest& image);
  // How many step records there are.
  int64_t cached_steps();
  std::vector<std::string> cached_step_keys();  // in key order
  // Forgets every step record and remembered file digest (`builder prune`);
  // returns how many step records there were.
  int64_t forget_build_cache();

  // Resolves what a user typed: a reference, a full or short image ID, or
  // "sha256:<prefix>". Throws Error("No such image: TEXT").
  Digest resolve(const std::string& text);
  std::optional<Digest> try_resolve(const std::string& text);

 private:
  Database& db_;
};

}  // namespace berth
