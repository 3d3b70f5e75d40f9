#include "archive/store_check.h"

#include <fcntl.h>

#include <set>

#include "archive/layer_apply.h"
#include "archive/tar_split.h"
#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
CheckReport check_store(Store& store) {
  CheckReport report;
  auto problem = [&](std::string s) { report.problems.push_back(std::move(s)); };

  // 1. Staging leftovers: nothing else runs (exclusive lock), so all of tmp/ is garbage.
  for (const auto& e : fs::directory_iterator(store.tmp_root())) {
    unmount_below(e.path());  // a RUN step's network namespace
    remove_tree(e.path());
    report.repaired.push_back("removed leftover staging " + e.path().filename().string());
  }

  // 2. Layers: records against directories, and each kept archive against both digests.
  std::set<std::string> known_dirs, known_links;
  std::set<Digest> referenced_blobs;
  for (const LayerInfo& l : store.layers().all()) {
    ++report.layers;
    known_dirs.insert(l.cache_id);
    known_links.insert(l.link);
    if (!fs::is_directory(store.layers().diff_dir(l))) problem("layer " + l.chain_id.str() + ": directory is missing");
    if (l.parent && !store.layers().get(*l.parent)) problem("layer " + l.chain_id.str() + ": parent is missing");
    if (!l.blob) {
      // No archive kept: diff/ and its tar-split must still rebuild the diff ID.
      try {
        if (!l.tar_split) throw Error("neither an archive nor a tar-split is kept");
        TarSplitReader rebuilt(store.layers().tar_split_path(l), store.layers().diff_dir(l));
        HashingReader tar(rebuilt);
        tar.drain();
        if (tar.digest() != l.diff_id) throw Error("files in diff/ no longer match diff ID " + l.diff_id.str());
      } catch (const Error& e) {
        problem("layer " + l.chain_id.str() + ": " + e.what());
      }
      continue;
    }
    referenced_blobs.insert(*l.blob);
    if (!store.blobs().has(*l.blob)) {
      problem("layer " + l.chain_id.str() + ": archive blob " + l.blob->str() + " is missing");
      continue;
    }
    try {
      UniqueFd fd = open_or_throw(store.blobs().path(*l.blob), O_RDONLY);
      FdReader file(fd.get(), store.blobs().path(*l.blob).string());
      auto [blob, diff] = hash_layer_archive(file, "blob " + l.blob->str());
      if (blob != *l.blob) problem("blob " + l.blob->str() + " is corrupt (content is " + blob.str() + ")");
      else if (diff != l.diff_id) problem("layer " + l.chain_id.str() + ": archive does not match diff ID " + l.diff_id.str());
    } catch (const Error& e) {
      problem("layer " + l.chain_id.str() + ": " + e.what());
    }
  }

  // 3. Images: config (and manifest) present and intact, top layer present.
  for (const ImageRecord& img : store.images().list()) {
    ++report.images;
    referenced_blobs.insert(img.id);
    if (img.manifest) referenced_blobs.insert(*img.manifest);
    try {
      ImageConfig c = store.config_of(img.id);
      std::vector<Digest> chains = chain_ids(c.diff_ids);
      std::optional<Digest> top = chains.empty() ? std::nullopt : std::optional(chains.back());
      if (top != img.top_layer) problem("image " + img.id.str() + ": layers do not match its config");
      else if (top && !store.layers().get(*top)) problem("image " + img.id.str() + ": top layer is missing");
    } catch (const Error& e) {
      problem("image " + img.id.str() + ": " + e.what());
    }
    if (img.manifest && !store.blobs().has(*img.manifest)) problem("image " + img.id.str() + ": manifest blob is missing");
  }

  // 4. Unrecorded files: layer dirs, short links, blobs, half-written temporaries.
  for (const auto& e : fs::directory_iterator(store.layers().overlay_dir())) {
    std::string name = e.path().filename().string();
    if (name == "l" || known_dirs.count(name)) continue;
    unmount_below(e.path());  // a killed build step's root
    remove_tree(e.path());
    report.repaired.push_back("removed unrecorded layer directory " + name);
  }
  for (const auto& e : fs::directory_iterator(store.layers().overlay_dir() / "l")) {
    std::string name = e.path().filename().string();
    if (known_links.count(name)) continue;
    fs::remove(e.path());
    report.repaired.push_back("removed dangling layer link " + name);
  }
  for (const auto& e : fs::directory_iterator(store.blobs().dir())) {
    std::string name = e.path().filename().string();
    Digest d;
    if (Digest::is_hex64(name) && referenced_blobs.count(Digest::from_hex(name))) {
      ++report.blobs;
      if (!(store.layers().blob_in_use(Digest::from_hex(name)))) {
        // Configs and manifests are small: verify them here.
        try {
          store.blobs().read(Digest::from_hex(name));
        } catch (const Error& err) {
          problem(err.what());
        }
      }
      continue;
    }
    fs::remove(e.path());
    report.repaired.push_back("removed unreferenced blob " + name);
  }

  // 5. The database itself.
  Statement s = store.db().prepare("PRAGMA integrity_check");
  while (s.next())
    if (s.text(0) != "ok") problem("metadata database: " + s.text(0));
  return report;
}

}  // namespace berth
