#include "store/image_store.h"

#include "core/error.h"
#include "core/reference.h"

namespace berth {
namespace {

ImageRecord row_to_image(const Statement& s) {
  ImageRecord r;
  r.id = Digest::parse(s.text(0));
  if (auto t = s.optional_text(1)) r.top_layer = Digest::parse(*t);
  if (auto m = s.optional_text(2)) r.manifest = Digest::parse(*m);
  r.added_at = s.integer(3);
  r.last_tag_time = s.integer(4);
  if (auto p = s.optional_text(5)) r.parent = Digest::parse(*p);
  return r;
}

std::vector<std::string> names(Statement& s) {
  std::vector<std::string> out;
  while (s.next()) out.push_back(s.text(0));
  return out;
}

}  // namespace

bool ImageStore::add(const ImageRecord& rec) {
  if (get(rec.id)) return false;
  Statement s = db_.prepare("INSERT INTO images(id, top_layer, manifest_digest, added_at, parent) VALUES (?,?,?,?,?)");
  s.bind(1, rec.id.str());
  if (rec.top_layer) s.bind(2, rec.top_layer->str()); else s.bind_null(2);
  if (rec.manifest) s.bind(3, rec.manifest->str()); else s.bind_null(3);
  s.bind(4, rec.added_at);
  if (rec.parent) s.bind(5, rec.parent->str()); else s.bind_null(5);
  s.run();
  return true;
}

std::optional<ImageRecord> ImageStore::get(const Digest& id) {
  Statement s = db_.prepare("SELECT id, top_layer, manifest_digest, added_at, last_tag_time, parent FROM images WHERE id = ?");
  s.bind(1, id.str());
  if (!s.next()) return std::nullopt;
  return row_to_image(s);
}

std::vector<ImageRecord> ImageStore::list() {
  std::vector<ImageRecord> out;
  Statement s = db_.prepare("SELECT id, top_layer, manifest_digest, added_at, last_tag_time, parent FROM images");
  while (s.next()) out.push_back(row_to_image(s));
  return out;
}

void ImageStore::remove(const Digest& id) {
  remove_names_of(id);
  db_.prepare("DELETE FROM build_cache WHERE image_id = ?").bind(1, id.str()).run();
  db_.prepare("UPDATE images SET parent = NULL WHERE parent = ?").bind(1, id.str()).run();
  db_.prepare("DELETE FROM images WHERE id = ?").bind(1, id.str()).run();
}

std::vector<Digest> ImageStore::children_of(const Digest& id) {
  std::vector<Digest> out;
  Statement s = db_.prepare("SELECT id FROM images WHERE parent = ?");
  s.bind(1, id.str());
  while (s.next()) out.push_back(Digest::parse(s.text(0)));
  return out;
}

std::optional<Digest> ImageStore::cached_step(const std::string& key) {
  Statement s = db_.prepare("SELECT image_id FROM build_cache WHERE key = ?");
  s.bind(1, key);
  if (!s.next()) return std::nullopt;
  return Digest::parse(s.text(0));
}

void ImageStore::cache_step(const std::string& key, const Digest& image) {
  db_.prepare("INSERT OR REPLACE INTO build_cache(key, image_id) VALUES (?, ?)").bind(1, key).bind(2, image.str()).run();
}

int64_t ImageStore::cached_steps() {
  Statement s = db_.prepare("SELECT count(*) FROM build_cache");
  return s.next() ? s.integer(0) : 0;
}

std::vector<std::string> ImageStore::cached_step_keys() {
  Statement s = db_.prepare("SELECT key FROM build_cache ORDER BY key");
  std::vector<std::string> keys;
  while (s.next()) keys.push_back(s.text(0));
  return keys;
}

int64_t ImageStore::forget_build_cache() {
  Transaction tx(db_);
  db_.exec("DELETE FROM build_cache");
  int64_t steps = db_.changes();
  db_.exec("DELETE FROM file_digests");
  tx.commit();
  return steps;
}

std::vector<TagRecord> ImageStore::tags() {
  std::vector<TagRecord> out;
  Statement s = db_.prepare("SELECT name, image_id, tagged_at FROM tags ORDER BY name");
  while (s.next()) out.push_back({s.text(0), Digest::parse(s.text(1)), s.integer(2)});
  return out;
}

std::vector<std::string> ImageStore::tags_of(const Digest& id) {
  Statement s = db_.prepare("SELECT name FROM tags WHERE image_id = ? ORDER BY tagged_at, name");
  return names(s.bind(1, id.str()));
}

std::vector<std::string> ImageStore::tag_names() {
  Statement s = db_.prepare("SELECT name FROM tags ORDER BY name");
  return names(s);
}

std::vector<std::string> ImageStore::repo_digests_of(const Digest& id) {
  Statement s = db_.prepare("SELECT name FROM repo_digests WHERE image_id = ? ORDER BY name");
  return names(s.bind(1, id.str()));
}

std::optional<Digest> ImageStore::by_name(const std::string& full_name) {
  Statement s = db_.prepare(
      "SELECT image_id FROM tags WHERE name = ?1 UNION ALL SELECT image_id FROM repo_digests WHERE name = ?1");
  s.bind(1, full_name);
  if (!s.next()) return std::nullopt;
  return Digest::parse(s.text(0));
}

std::optional<Digest> ImageStore::set_tag(const std::string& full_name, const Digest& id, int64_t now) {
  std::optional<Digest> old = by_name(full_name);
  db_.prepare("INSERT INTO tags(name, image_id, tagged_at) VALUES (?1, ?2, ?3) "
              "ON CONFLICT(name) DO UPDATE SET image_id = ?2, tagged_at = ?3")
      .bind(1, full_name).bind(2, id.str()).bind(3, now).run();
  if (old && *old == id) return std::nullopt;
  return old;
}

void ImageStore::touch_last_tag_time(const Digest& id, int64_t unix_nanos) {
  db_.prepare("UPDATE images SET last_tag_time = ? WHERE id = ?").bind(1, unix_nanos).bind(2, id.str()).run();
}

void ImageStore::set_manifest_if_none(const Digest& id, const Digest& manifest) {
  db_.prepare("UPDATE images SET manifest_digest = ?1 WHERE id = ?2 AND manifest_digest IS NULL")
      .bind(1, manifest.str())
      .bind(2, id.str())
      .run();
}

void ImageStore::add_repo_digest(const std::string& full_name, const Digest& id) {
  db_.prepare("INSERT INTO repo_digests(name, image_id) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET image_id = ?2")
      .bind(1, full_name).bind(2, id.str()).run();
}

bool ImageStore::remove_name(const std::string& full_name) {
  db_.prepare("DELETE FROM tags WHERE name = ?").bind(1, full_name).run();
  int tags = sqlite3_changes(db_.handle());
  db_.prepare("DELETE FROM repo_digests WHERE name = ?").bind(1, full_name).run();
  return tags + sqlite3_changes(db_.handle()) > 0;
}

void ImageStore::remove_names_of(const Digest& id) {
  db_.prepare("DELETE FROM tags WHERE image_id = ?").bind(1, id.str()).run();
  db_.prepare("DELETE FROM repo_digests WHERE image_id = ?").bind(1, id.str()).run();
}

std::optional<Digest> ImageStore::try_resolve(const std::string& text) {
  Digest full;
  if (Digest::try_parse(text, &full)) return get(full) ? std::optional(full) : std::nullopt;
  ReferenceResult ref = parse_docker_ref(text);
  if (ref.ref) {
    if (auto id = by_name(ref.ref->str())) return id;
  }
  // A short ID: at least one hex char, unique prefix (Docker's truncindex).
  std::string prefix = text.rfind("sha256:", 0) == 0 ? text.substr(7) : text;
  if (prefix.empty() || prefix.size() > 64 ||
      prefix.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  Statement s = db_.prepare("SELECT id FROM images WHERE substr(id, 8, ?1) = ?2 LIMIT 2");
  s.bind(1, static_cast<int64_t>(prefix.size())).bind(2, prefix);
  std::optional<Digest> found;
  while (s.next()) {
    if (found) throw Error("short ID \"" + text + "\" is ambiguous: it matches more than one image");
    found = Digest::parse(s.text(0));
  }
  return found;
}

Digest ImageStore::resolve(const std::string& text) {
  if (auto id = try_resolve(text)) return *id;
  throw not_found("No such image: " + text);
}

}  // namespace berth
