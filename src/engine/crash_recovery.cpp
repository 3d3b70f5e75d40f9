#include "engine/crash_recovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "core/error.h"
#include "core/fs.h"
#include "core/reference.h"
#include "image/layer.h"
#include "image/layer_apply.h"
#include "runtime/container_create.h"
#include "runtime/container_lifecycle.h"
#include "store/durability_marks.h"

namespace berth {
namespace {

bool blob_intact(Store& store, const Digest& d) {
  if (!store.blobs().has(d)) return false;
  UniqueFd fd = store.blobs().open(d);
  FdReader file(fd.get(), "blob " + d.str());
  HashingReader hashed(file);
  hashed.drain();
  return hashed.digest() == d;
}

// A layer whose archive is kept: extracted again from it, then put in place of
// diff/ (with link and lower written anew), when the archive holds what the
// record says. False when it does not.
bool extract_again(Store& store, const LayerInfo& l) {
  StagingDir staging = store.make_staging_dir("recover");
  UniqueFd fd = open_compressed(store, l);
  FdReader archive(fd.get(), "blob " + l.blob->str());
  AppliedLayer applied = apply_layer(archive, staging.path(), "layer " + l.chain_id.str());
  if (applied.blob != *l.blob || applied.diff_id != l.diff_id) return false;
  std::filesystem::path diff = store.layers().diff_dir(l), old = staging.path() / "torn";
  std::error_code ec;
  if (std::filesystem::exists(diff, ec) && ::rename(diff.c_str(), old.c_str()) != 0) throw_errno("move " + diff.string());
  std::filesystem::path dir = store.layers().layer_dir(l);
  std::filesystem::create_directories(dir);
  if (::rename((staging.path() / "diff").c_str(), diff.c_str()) != 0) throw_errno("place " + diff.string());
  write_file_atomic(dir / "link", l.link, 0644, Flush::when_full);
  std::filesystem::path short_link = store.layers().overlay_dir() / "l" / l.link;
  ::unlink(short_link.c_str());
  if (::symlink(("../" + l.cache_id + "/diff").c_str(), short_link.c_str()) != 0) throw_errno("link " + short_link.string());
  if (l.parent) write_file_atomic(dir / "lower", store.layers().lower_of(l), 0644, Flush::when_full);
  return true;
}

// A layer kept as diff/ and tar-split: rebuilt, it must hash to its diff ID.
bool rebuilds(Store& store, const LayerInfo& l) {
  if (!l.tar_split) return false;
  UncompressedLayer tar(store, l);
  tar.drain();
  return tar.digest() == l.diff_id;
}

bool rebuilds_or_false(Store& store, const LayerInfo& l) {
  try {
    return rebuilds(store, l);
  } catch (const Error&) {
    return false;
  }
}

// Verifies one marked layer (repairing it from its archive when it can);
// false when it is lost.
bool layer_survived(Store& store, const LayerInfo& l, RecoveryReport& report) {
  try {
    if (l.blob) {
      if (!extract_again(store, l)) return false;
      ++report.repaired;
      return true;
    }
    return rebuilds(store, l);
  } catch (const std::exception&) {
    return false;  // a file missing or unreadable: torn as well
  }
}

std::string image_name(Store& store, const Digest& id) {
  std::vector<std::string> tags = store.images().tags_of(id);
  if (tags.empty()) return id.short_id();
  return parse_normalized_named_or_throw(tags.front()).familiar_str() + " (" + id.short_id() + ")";
}

// A torn blob no record names any more goes now: the store reuses a blob file by its name.
void remove_torn_blobs(Store& store, const std::set<Digest>& bad_blobs) {
  for (const Digest& d : bad_blobs) {
    bool named = store.images().get(d) || store.layers().blob_in_use(d);
    for (const ImageRecord& img : store.images().list()) named |= img.manifest == d;
    if (!named) store.blobs().remove(d);
  }
}

}  // namespace

RecoveryReport recover_unverified(Store& store) {
  RecoveryReport report;
  DurabilityMarks marks(store.db());
  std::vector<DurabilityMark> unverified = marks.unverified();
  if (unverified.empty()) return report;
  std::set<Digest> bad_layers, bad_blobs;
  for (const DurabilityMark& m : unverified) {
    Digest key;
    if (!Digest::try_parse(m.key, &key)) continue;
    bool is_blob = m.kind == DurabilityMarks::kBlob;
    try {  // what cannot even be read is lost, never the store with it
      if (is_blob) {
        if (!blob_intact(store, key)) bad_blobs.insert(key);
      } else if (std::optional<LayerInfo> l = store.layers().get(key)) {
        if (!layer_survived(store, *l, report)) bad_layers.insert(key);
      }
    } catch (const std::exception&) {
      (is_blob ? bad_blobs : bad_layers).insert(key);
    }
  }
  // A layer whose kept archive is torn: without it when diff/ and its
  // tar-split still rebuild it (an archive a push compressed), else lost.
  for (const LayerInfo& l : store.layers().all()) {
    if (!l.blob || !bad_blobs.count(*l.blob) || bad_layers.count(l.chain_id)) continue;
    LayerInfo without = l;
    without.blob.reset();
    if (rebuilds_or_false(store, without)) store.layers().detach_blob(l.chain_id);
    else bad_layers.insert(l.chain_id);
  }
  // Every layer above a lost one is lost with it (its image's stack says so).
  auto uses_bad = [&](const ImageRecord& img) {
    if (bad_blobs.count(img.id) || (img.manifest && bad_blobs.count(*img.manifest))) return true;
    if (!img.top_layer) return false;
    for (const LayerInfo& l : store.layers().stack(*img.top_layer))
      if (bad_layers.count(l.chain_id)) return true;
    return false;
  };
  std::vector<Digest> lost;
  for (const ImageRecord& img : store.images().list()) {
    if (!uses_bad(img)) continue;
    // Its stopped containers go first (their records, then their files), as `rm` removes them.
    bool in_use = false;
    for (const ContainerRecord& recorded : store.containers().using_image(img.id)) {
      ContainerRecord c = refresh_container(store, recorded);  // after a reboot its monitor is gone: exited
      if (c.state == "running") in_use = true;
      else remove_container(store, c);
    }
    if (in_use) report.problems.push_back("image " + image_name(store, img.id) +
                                          " failed verification after a crash but a running container uses it");
    else lost.push_back(img.id);
  }
  // What was repaired reaches the disk before its marks go (a second crash must not find it unmarked).
  if (report.repaired > 0) {
    UniqueFd root = open_or_throw(store.root(), O_RDONLY | O_DIRECTORY);
    if (::syncfs(root.get()) != 0) throw_errno("sync " + store.root().string());
  }
  std::vector<Store::ImageDeletion> deleted;
  {
    Transaction tx(store.db());
    for (const Digest& id : lost) {
      report.lost.push_back("image " + image_name(store, id) + " was lost in a crash: pull it again");
      deleted.push_back(store.delete_image_records(id));
    }
    // A failed item a running container keeps stays marked: verified again next time, never trusted.
    for (const DurabilityMark& m : unverified) {
      Digest key;
      bool failed = Digest::try_parse(m.key, &key) && (bad_layers.count(key) || bad_blobs.count(key));
      if (!failed || report.problems.empty()) marks.clear(m.id);
    }
    tx.commit();
  }
  for (const Store::ImageDeletion& d : deleted) store.remove_deleted_files(d);  // records first (invariant 3)
  remove_torn_blobs(store, bad_blobs);
  return report;
}

void recover_after_crash(Store& store) {
  RecoveryReport report = recover_unverified(store);
  for (const std::string& line : report.lost) std::cerr << "berth: " << line << "\n";
  for (const std::string& line : report.problems) std::cerr << "berth: " << line << "\n";
}

}  // namespace berth
