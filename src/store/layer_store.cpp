#include "store/layer_store.h"

#include <unistd.h>

#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

constexpr const char* kColumns =
    "chain_id, diff_id, parent, cache_id, link, size, blob_digest, blob_media_type, blob_size, tar_split, tar_size";

LayerInfo row_to_layer(const Statement& s) {
  LayerInfo l;
  l.chain_id = Digest::parse(s.text(0));
  l.diff_id = Digest::parse(s.text(1));
  if (auto p = s.optional_text(2)) l.parent = Digest::parse(*p);
  l.cache_id = s.text(3);
  l.link = s.text(4);
  l.size = s.integer(5);
  if (auto b = s.optional_text(6)) l.blob = Digest::parse(*b);
  l.blob_media_type = s.text(7);
  l.blob_size = s.integer(8);
  l.tar_split = s.integer(9) != 0;
  l.tar_size = s.integer(10);
  return l;
}

}  // namespace

std::optional<LayerInfo> LayerStore::get(const Digest& chain_id) {
  Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM layers WHERE chain_id = ?");
  s.bind(1, chain_id.str());
  if (!s.next()) return std::nullopt;
  return row_to_layer(s);
}

bool LayerStore::has_diff(const Digest& diff_id) {
  return db_.prepare("SELECT 1 FROM layers WHERE diff_id = ? LIMIT 1").bind(1, diff_id.str()).next();
}

std::vector<LayerInfo> LayerStore::stack(const Digest& top) {
  std::vector<LayerInfo> out;
  std::optional<Digest> next = top;
  while (next) {
    std::optional<LayerInfo> l = get(*next);
    if (!l) throw Error("layer " + next->str() + " is missing from the store; run `berth system check`");
    next = l->parent;
    out.push_back(std::move(*l));
  }
  return {out.rbegin(), out.rend()};
}

std::vector<LayerInfo> LayerStore::all() {
  std::vector<LayerInfo> out;
  Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM layers");
  while (s.next()) out.push_back(row_to_layer(s));
  return out;
}

std::string LayerStore::lower_of(const LayerInfo& l) {
  std::string lower;
  std::optional<Digest> p = l.parent;
  while (p) {
    std::optional<LayerInfo> parent = get(*p);
    if (!parent) throw Error("layer " + p->str() + " is missing from the store");
    lower += (lower.empty() ? "l/" : ":l/") + parent->link;
    p = parent->parent;
  }
  return lower;
}

bool LayerStore::commit(const fs::path& staged, LayerInfo& info, std::vector<fs::path>* placed) {
  if (get(info.chain_id)) return false;
  info.cache_id = random_hex(64);
  info.link = random_link_id();
  write_file_atomic(staged / "link", info.link, 0644, Flush::when_full);
  if (info.parent) write_file_atomic(staged / "lower", lower_of(info), 0644, Flush::when_full);
  fsync_path(staged, Flush::when_full);
  fs::path target = dir_ / info.cache_id;
  if (::rename(staged.c_str(), target.c_str()) != 0) throw_errno("commit layer " + info.chain_id.str());
  placed->push_back(target);
  fs::path link = dir_ / "l" / info.link;
  if (::symlink(("../" + info.cache_id + "/diff").c_str(), link.c_str()) != 0)
    throw_errno("link layer " + info.chain_id.str());
  placed->push_back(link);
  Statement s = db_.prepare(std::string("INSERT INTO layers(") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, info.chain_id.str()).bind(2, info.diff_id.str());
  if (info.parent) s.bind(3, info.parent->str()); else s.bind_null(3);
  s.bind(4, info.cache_id).bind(5, info.link).bind(6, info.size);
  if (info.blob) s.bind(7, info.blob->str()); else s.bind_null(7);
  s.bind(8, info.blob_media_type).bind(9, info.blob_size);
  s.bind(10, static_cast<int64_t>(info.tar_split)).bind(11, info.tar_size);
  s.run();
  return true;
}

bool LayerStore::referenced(const Digest& chain_id) {
  Statement s = db_.prepare(
      "SELECT 1 FROM images WHERE top_layer = ?1 UNION ALL SELECT 1 FROM layers WHERE parent = ?1 LIMIT 1");
  s.bind(1, chain_id.str());
  return s.next();
}

bool LayerStore::attach_blob(const Digest& chain_id, const Digest& blob, const std::string& media_type,
                             int64_t size) {
  db_.prepare("UPDATE layers SET blob_digest = ?1, blob_media_type = ?2, blob_size = ?3 "
              "WHERE chain_id = ?4 AND blob_digest IS NULL")
      .bind(1, blob.str())
      .bind(2, media_type)
      .bind(3, size)
      .bind(4, chain_id.str())
      .run();
  return db_.changes() > 0;
}

void LayerStore::detach_blob(const Digest& chain_id) {
  db_.prepare("UPDATE layers SET blob_digest = NULL, blob_media_type = '', blob_size = 0 WHERE chain_id = ?")
      .bind(1, chain_id.str())
      .run();
}

void LayerStore::remember_archive(const Digest& diff_id, const PushedArchive& archive) {
  db_.prepare("INSERT OR IGNORE INTO pushed_archives(diff_id, blob_digest, media_type, size) VALUES(?1, ?2, ?3, ?4)")
      .bind(1, diff_id.str())
      .bind(2, archive.blob.str())
      .bind(3, archive.media_type)
      .bind(4, archive.size)
      .run();
}

std::vector<LayerStore::PushedArchive> LayerStore::pushed_archives(const Digest& diff_id) {
  std::vector<PushedArchive> out;
  Statement s = db_.prepare("SELECT blob_digest, media_type, size FROM pushed_archives WHERE diff_id = ?");
  s.bind(1, diff_id.str());
  while (s.next()) {
    Digest blob;
    if (Digest::try_parse(s.text(0), &blob)) out.push_back({blob, s.text(1), s.integer(2)});
  }
  return out;
}

bool LayerStore::blob_in_use(const Digest& blob) {
  return db_.prepare("SELECT 1 FROM layers WHERE blob_digest = ? LIMIT 1").bind(1, blob.str()).next();
}

void LayerStore::release(const Digest& chain_id, std::vector<LayerInfo>* released) {
  std::optional<Digest> next = chain_id;
  while (next && !referenced(*next)) {
    std::optional<LayerInfo> l = get(*next);
    if (!l) return;
    db_.prepare("DELETE FROM layers WHERE chain_id = ?").bind(1, l->chain_id.str()).run();
    next = l->parent;
    released->push_back(std::move(*l));
  }
}

void LayerStore::remove_files(const LayerInfo& l) {
  ::unlink((dir_ / "l" / l.link).c_str());
  remove_tree(layer_dir(l));
}

}  // namespace berth
