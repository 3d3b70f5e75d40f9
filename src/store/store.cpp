#include "store/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>

#include "core/error.h"
#include "store/durability_marks.h"

namespace berth {
namespace {

constexpr int64_t kSchemaVersion = 10;
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS layers(
  chain_id TEXT PRIMARY KEY,
  diff_id TEXT NOT NULL,
  parent TEXT REFERENCES layers(chain_id),
  cache_id TEXT NOT NULL UNIQUE,
  link TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  blob_digest TEXT,
  blob_media_type TEXT NOT NULL DEFAULT '',
  blob_size INTEGER NOT NULL DEFAULT 0,
  tar_split INTEGER NOT NULL DEFAULT 0,
  tar_size INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS layers_parent ON layers(parent);
CREATE TABLE IF NOT EXISTS images(
  id TEXT PRIMARY KEY,
  top_layer TEXT REFERENCES layers(chain_id),
  manifest_digest TEXT,
  added_at INTEGER NOT NULL,
  last_tag_time INTEGER NOT NULL DEFAULT 0,
  parent TEXT);
CREATE INDEX IF NOT EXISTS images_top ON images(top_layer);
CREATE INDEX IF NOT EXISTS images_parent ON images(parent);
CREATE TABLE IF NOT EXISTS tags(
  name TEXT PRIMARY KEY,
  image_id TEXT NOT NULL REFERENCES images(id),
  tagged_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tags_image ON tags(image_id);
CREATE TABLE IF NOT EXISTS repo_digests(
  name TEXT PRIMARY KEY,
  image_id TEXT NOT NULL REFERENCES images(id));
CREATE TABLE IF NOT EXISTS containers(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  image_id TEXT NOT NULL REFERENCES images(id),
  image TEXT NOT NULL,
  layer_id TEXT NOT NULL,
  config TEXT NOT NULL,
  created INTEGER NOT NULL,
  state TEXT NOT NULL,
  pid INTEGER NOT NULL DEFAULT 0,
  monitor_pid INTEGER NOT NULL DEFAULT 0,
  exit_code INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL DEFAULT 0,
  paused INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS containers_image ON containers(image_id);
CREATE TABLE IF NOT EXISTS build_cache(
  key TEXT PRIMARY KEY,
  image_id TEXT NOT NULL REFERENCES images(id));
CREATE INDEX IF NOT EXISTS build_cache_image ON build_cache(image_id);
CREATE TABLE IF NOT EXISTS file_digests(
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL,
  digest TEXT NOT NULL,
  seen_day INTEGER NOT NULL,
  PRIMARY KEY(dev, ino)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS networks(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  driver TEXT NOT NULL,
  created INTEGER NOT NULL,
  config TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS endpoints(
  network_id TEXT NOT NULL REFERENCES networks(id),
  container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL,
  aliases TEXT NOT NULL,
  requested_ip TEXT NOT NULL,
  ip TEXT,
  mac TEXT NOT NULL,
  attached INTEGER NOT NULL,
  PRIMARY KEY(network_id, container_id),
  UNIQUE(network_id, ip));
CREATE INDEX IF NOT EXISTS endpoints_container ON endpoints(container_id);
CREATE TABLE IF NOT EXISTS pushed_archives(
  diff_id TEXT NOT NULL,
  blob_digest TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY(diff_id, blob_digest)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases(
  image_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS leases_image ON leases(image_id);
CREATE TABLE IF NOT EXISTS unsynced(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  boot_id TEXT NOT NULL);
)sql";

std::function<void(Store&)>& crash_recovery() {
  static std::function<void(Store&)> recover;
  return recover;
}

void make_dir(const fs::path& p, mode_t mode) {
  if (::mkdir(p.c_str(), mode) != 0 && errno != EEXIST) throw_errno("create " + p.string());
}

}  // namespace

StagingDir::~StagingDir() {
  if (path_.empty()) return;
  try {
    remove_tree(path_);
  } catch (...) {
    // Best effort: whatever stays in tmp/ is cleaned by `system check`.
  }
}

fs::path Store::default_root() {
  const char* env = std::getenv("BERTH_ROOT");
  return env && *env ? fs::path(env) : fs::path("/var/lib/berth");
}

Store::Store(fs::path root, Lock lock) : root_(std::move(root)), blobs_(root_ / "blobs" / "sha256") {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) throw Error("cannot create store root " + root_.string() + ": " + ec.message());
  ::chmod(root_.c_str(), 0711);
  for (const char* sub : {"blobs", "blobs/sha256", "overlay2", "overlay2/l", "tmp", "containers"})
    make_dir(root_ / sub, 0700);
  // Layers are extracted into staging directories in tmp/. ext4 without a
  // journal skips every inode freed in the last minutes when it allocates one
  // (ialloc.c, recently_deleted()), scanning past them on each create: a
  // layer made in the block group a prune just emptied paid that for each of
  // its files (four prune-then-pull rounds: 1.4 s, 2.0, 2.9, 5.1). Spread, a
  // staging directory lands in another group (bench/durability.sh, last table).
  spread_subdirectories(root_ / "tmp");
  lock_fd_ = open_or_throw(root_ / "berth.lock", O_RDWR | O_CREAT, 0600);
  // Many processes share the store; creating or migrating the schema happens
  // alone. (Not an exclusive lock on every open: a container's monitor opens
  // the store while the `run` that started it holds it shared.)
  if (::flock(lock_fd_.get(), lock == Lock::kExclusive ? LOCK_EX : LOCK_SH) != 0) throw_errno("lock store");
  db_.emplace(root_ / "berth.db");
  auto schema_version = [&] {
    Statement s = db().prepare("PRAGMA user_version");
    return s.next() ? s.integer(0) : int64_t{0};
  };
  int64_t version = schema_version();
  if (version < kSchemaVersion && lock == Lock::kShared) {
    if (::flock(lock_fd_.get(), LOCK_EX) != 0) throw_errno("lock store");
    version = schema_version();  // another process may have done it meanwhile
  }
  if (version < kSchemaVersion) {
    // A pooled connection may hold a schema another process changed since; a
    // read of sqlite_master makes SQLite reload it before ALTER TABLE is
    // compiled against it.
    db().exec("SELECT count(*) FROM sqlite_master");
    db().exec("PRAGMA journal_mode=WAL");
    // Version 2 added images.last_tag_time (set by `berth tag`, Docker's LastTagTime);
    // version 3 the containers table; version 4 images.parent (the image a
    // build step started from, Docker's Parent) and the build_cache table;
    // version 5 file_digests (store/file_digest_cache.h); version 6 networks
    // and endpoints (store/network_store.h); version 7 containers.paused;
    // version 8 unsynced (store/durability_marks.h); version 9 pushed_archives
    // (LayerStore::remember_archive); version 10 leases (store/image_leases.h).
    // New tables are created by
    // kSchema below.
    if (version == 1) db().exec("ALTER TABLE images ADD COLUMN last_tag_time INTEGER NOT NULL DEFAULT 0");
    if (version >= 1 && version < 4) db().exec("ALTER TABLE images ADD COLUMN parent TEXT");
    if (version >= 3 && version < 7) db().exec("ALTER TABLE containers ADD COLUMN paused INTEGER NOT NULL DEFAULT 0");
    db().exec(kSchema);
    db().exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  }
  if (lock == Lock::kShared && ::flock(lock_fd_.get(), LOCK_SH) != 0) throw_errno("lock store");
  layers_ = std::make_unique<LayerStore>(db(), root_ / "overlay2");
  images_ = std::make_unique<ImageStore>(db());
  containers_ = std::make_unique<ContainerStore>(db());
  networks_ = std::make_unique<NetworkStore>(db());
  // After a crash: what was not known durable is verified before anything uses it,
  // by one process at a time (the others wait, then find nothing left to do).
  if (crash_recovery() && DurabilityMarks(db()).any_from_earlier_boot()) {
    if (lock == Lock::kShared && ::flock(lock_fd_.get(), LOCK_EX) != 0) throw_errno("lock store");
    crash_recovery()(*this);
    if (lock == Lock::kShared && ::flock(lock_fd_.get(), LOCK_SH) != 0) throw_errno("lock store");
  }
}

void Store::set_crash_recovery(std::function<void(Store&)> recover) { crash_recovery() = std::move(recover); }

StagingDir Store::make_staging_dir(const std::string& purpose) {
  fs::path p = tmp_root() / (purpose + "-" + random_hex(16));
  make_dir(p, 0700);
  return StagingDir(p);
}

ImageConfig Store::config_of(const Digest& image_id) {
  return ImageConfig::parse(blobs_.read(image_id), "image " + image_id.str());
}

int64_t Store::image_size(const ImageRecord& image) {
  if (!image.top_layer) return 0;
  int64_t total = 0;
  for (const LayerInfo& l : layers_->stack(*image.top_layer)) total += l.size;
  return total;
}

std::vector<LayerInfo> Store::delete_image(const Digest& id) {
  Transaction tx(db());
  ImageDeletion deletion = delete_image_records(id);
  tx.commit();
  remove_deleted_files(deletion);
  return deletion.released;
}

Store::ImageDeletion Store::delete_image_records(const Digest& id) {
  std::optional<ImageRecord> image = images_->get(id);
  if (!image) throw not_found("No such image: " + id.str());
  ImageDeletion deletion{*image, {}};
  images_->remove(id);
  if (image->top_layer) layers_->release(*image->top_layer, &deletion.released);
  return deletion;
}

void Store::remove_deleted_files(const ImageDeletion& deletion) {
  // Files go only after the records: a crash here leaves garbage, never a dangling record.
  for (const LayerInfo& l : deletion.released) {
    layers_->remove_files(l);
    if (l.blob && !layers_->blob_in_use(*l.blob)) blobs_.remove(*l.blob);
  }
  blobs_.remove(deletion.image.id);
  if (deletion.image.manifest) blobs_.remove(*deletion.image.manifest);
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace berth
