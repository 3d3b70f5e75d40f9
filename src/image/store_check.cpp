#include "image/store_check.h"

#include <set>

#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/fs.h"
#include "image/layer.h"
#include "image/layer_apply.h"
#include "store/container_store.h"

namespace berth {
namespace {

// What the record phases found referenced, so the sweep knows what is garbage.
struct Referenced {
  std::set<std::string> layer_dirs, links;
  std::set<Digest> blobs;
};

// Staging leftovers: nothing else runs (exclusive lock), so all of tmp/ is
// garbage (invariant 4).
void sweep_staging(Store& store, CheckReport& report) {
  for (const auto& e : fs::directory_iterator(store.tmp_root())) {
    unmount_below(e.path());  // a RUN step's network namespace
    remove_tree(e.path());
    report.repaired.push_back("removed leftover staging " + e.path().filename().string());
  }
}

// A layer with no archive kept: diff/ and its tar-split must still rebuild the diff ID.
void verify_rebuilt_layer(Store& store, const LayerInfo& l) {
  if (!l.tar_split) throw Error("neither an archive nor a tar-split is kept");
  UncompressedLayer tar(store, l);
  tar.drain();
  if (tar.digest() != l.diff_id) throw Error("files in diff/ no longer match diff ID " + l.diff_id.str());
}

// A layer with its archive kept: the blob must hash to its digest and unpack to the diff ID (invariant 5).
void verify_kept_archive(Store& store, const LayerInfo& l, CheckReport& report) {
  UniqueFd fd = open_compressed(store, l);
  FdReader file(fd.get(), "blob " + l.blob->str());
  Layer found = hash_layer_archive(file, "blob " + l.blob->str());
  if (found.digest != l.blob)
    report.problems.push_back("blob " + l.blob->str() + " is corrupt (content is " + found.digest->str() + ")");
  else if (found.diff_id != l.diff_id)
    report.problems.push_back("layer " + l.chain_id.str() + ": archive does not match diff ID " + l.diff_id.str());
}

// Layers: records against directories, and each kept archive against both digests.
void check_layers(Store& store, CheckReport& report, Referenced& referenced) {
  for (const LayerInfo& l : store.layers().all()) {
    ++report.layers;
    referenced.layer_dirs.insert(l.cache_id);
    referenced.links.insert(l.link);
    std::string what = "layer " + l.chain_id.str() + ": ";
    if (!fs::is_directory(store.layers().diff_dir(l))) report.problems.push_back(what + "directory is missing");
    if (l.parent && !store.layers().get(*l.parent)) report.problems.push_back(what + "parent is missing");
    if (l.blob) referenced.blobs.insert(*l.blob);
    if (l.blob && !store.blobs().has(*l.blob)) {
      report.problems.push_back(what + "archive blob " + l.blob->str() + " is missing");
      continue;
    }
    try {
      if (l.blob) verify_kept_archive(store, l, report);
      else verify_rebuilt_layer(store, l);
    } catch (const Error& e) {
      report.problems.push_back(what + e.what());
    }
  }
}

// Containers' writable layers (<id> and <id>-init) are recorded by the
// containers, not the layer table; their short links are in their link files.
void note_container_layers(Store& store, Referenced& referenced) {
  for (const ContainerRecord& c : store.containers().all()) {
    for (const std::string& dir : {c.layer_id, init_layer_id(c.layer_id)}) {
      referenced.layer_dirs.insert(dir);
      fs::path link = store.layers().overlay_dir() / dir / "link";
      if (fs::exists(link)) referenced.links.insert(read_file(link));
    }
  }
}

// Images: config (and manifest) present and intact, top layer present.
void check_images(Store& store, CheckReport& report, Referenced& referenced) {
  for (const ImageRecord& img : store.images().list()) {
    ++report.images;
    referenced.blobs.insert(img.id);
    if (img.manifest) referenced.blobs.insert(*img.manifest);
    std::string what = "image " + img.id.str() + ": ";
    try {
      ImageConfig c = store.config_of(img.id);
      std::vector<Digest> chains = chain_ids(c.diff_ids);
      std::optional<Digest> top = chains.empty() ? std::nullopt : std::optional(chains.back());
      if (top != img.top_layer) report.problems.push_back(what + "layers do not match its config");
      else if (top && !store.layers().get(*top)) report.problems.push_back(what + "top layer is missing");
    } catch (const Error& e) {
      report.problems.push_back(what + e.what());
    }
    if (img.manifest && !store.blobs().has(*img.manifest)) report.problems.push_back(what + "manifest blob is missing");
  }
}

// Unrecorded files: layer dirs, short links, blobs, half-written temporaries
// (invariant 4: files no record names are garbage).
void sweep_unrecorded(Store& store, CheckReport& report, const Referenced& referenced) {
  for (const auto& e : fs::directory_iterator(store.layers().overlay_dir())) {
    std::string name = e.path().filename().string();
    if (name == "l" || referenced.layer_dirs.count(name)) continue;
    unmount_below(e.path());  // a killed build step's root
    remove_tree(e.path());
    report.repaired.push_back("removed unrecorded layer directory " + name);
  }
  for (const auto& e : fs::directory_iterator(store.layers().overlay_dir() / "l")) {
    std::string name = e.path().filename().string();
    if (referenced.links.count(name)) continue;
    fs::remove(e.path());
    report.repaired.push_back("removed dangling layer link " + name);
  }
  for (const auto& e : fs::directory_iterator(store.blobs().dir())) {
    std::string name = e.path().filename().string();
    if (Digest::is_hex64(name) && referenced.blobs.count(Digest::from_hex(name))) {
      ++report.blobs;
      if (!store.layers().blob_in_use(Digest::from_hex(name))) {
        try {  // configs and manifests are small: verify them here
          store.blobs().read(Digest::from_hex(name));
        } catch (const Error& err) {
          report.problems.push_back(err.what());
        }
      }
      continue;
    }
    fs::remove(e.path());
    report.repaired.push_back("removed unreferenced blob " + name);
  }
}

}  // namespace

CheckReport check_store(Store& store) {
  CheckReport report;
  Referenced referenced;
  sweep_staging(store, report);
  check_layers(store, report, referenced);
  check_images(store, report, referenced);
  note_container_layers(store, referenced);
  sweep_unrecorded(store, report, referenced);
  for (const std::string& p : store.db().integrity_problems()) report.problems.push_back("metadata database: " + p);
  return report;
}

}  // namespace berth
