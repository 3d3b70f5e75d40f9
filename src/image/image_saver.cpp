#include "image/image_saver.h"

#include <algorithm>
#include <map>
#include <set>

#include "image/layer.h"
#include "archive/tar_writer.h"
#include "core/error.h"
#include "core/manifest.h"
#include "core/reference.h"

namespace berth {

SaveItem resolve_save_item(Store& store, const std::string& text) {
  ReferenceResult named = parse_normalized_named(text);
  if (named.ref && named.ref->digest.empty()) {
    SaveItem item;
    if (!named.ref->tag.empty()) {
      if (std::optional<Digest> id = store.images().by_name(named.ref->str())) return {*id, {named.ref->str()}};
    } else {
      for (const TagRecord& t : store.images().tags()) {
        if (parse_normalized_named_or_throw(t.name).name() != named.ref->name()) continue;
        if (item.tags.empty()) item.id = t.image_id;
        item.tags.push_back(t.name);
      }
      if (!item.tags.empty()) return item;
    }
  }
  return {store.images().resolve(text), {}};
}

namespace {

std::string blob_name(const Digest& d) { return "blobs/sha256/" + d.hex(); }

struct ImageOut {
  Digest id;
  std::vector<std::string> tags;
  Digest manifest;
  std::string manifest_bytes;
  std::vector<LayerInfo> layers;  // each goes in as its kept archive, or as its tar rebuilt from diff/
};

std::string make_manifest(Store& store, const ImageRecord& image, std::vector<LayerInfo>* layers_out) {
  Json m = Json::object();
  m["schemaVersion"] = 2;
  m["mediaType"] = media_type::kOciManifest;
  m["config"] = {{"mediaType", media_type::kOciConfig},
                 {"digest", image.id.str()},
                 {"size", store.blobs().size(image.id)}};
  Json layers = Json::array();
  if (image.top_layer) {
    for (const LayerInfo& l : store.layers().stack(*image.top_layer)) {
      if (!l.blob && !l.tar_split) throw Error("layer " + l.diff_id.str() + " has no archive to save");
      Layer layer = layer_of(l);
      layers.push_back(
          {{"mediaType", layer.media_type}, {"digest", layer.archive_digest().str()}, {"size", layer.size}});
      layers_out->push_back(l);
    }
  }
  m["layers"] = layers;
  return m.dump();
}

// Tags grouped by image, in the order images were named.
std::vector<ImageOut> group_by_image(Store& store, const std::vector<SaveItem>& items) {
  std::vector<ImageOut> images;
  for (const SaveItem& item : items) {
    std::vector<std::pair<Digest, std::string>> per_image;
    if (item.tags.empty()) per_image.emplace_back(item.id, "");
    for (const std::string& t : item.tags) per_image.emplace_back(*store.images().by_name(t), t);
    for (const auto& [id, tag] : per_image) {
      ImageOut* out = nullptr;
      for (ImageOut& o : images)
        if (o.id == id) out = &o;
      if (!out) {
        images.push_back({id, {}, {}, {}, {}});
        out = &images.back();
      }
      if (!tag.empty() && std::find(out->tags.begin(), out->tags.end(), tag) == out->tags.end()) out->tags.push_back(tag);
    }
  }
  return images;
}

// Manifests made, and everything checked readable before the first byte goes out.
void prepare(Store& store, std::vector<ImageOut>& images) {
  for (ImageOut& img : images) {
    std::optional<ImageRecord> rec = store.images().get(img.id);
    if (!rec) throw not_found("No such image: " + img.id.str());
    img.manifest_bytes = make_manifest(store, *rec, &img.layers);
    img.manifest = Digest::of(img.manifest_bytes);
    store.config_of(img.id);
    for (const LayerInfo& l : img.layers)
      if (l.blob && !store.blobs().has(*l.blob))
        throw Error("layer blob " + l.blob->str() + " is missing; run `berth system check`");
  }
}

// A stored blob as it is kept, copied kernel-side.
void add_blob(TarWriter& tar, const Digest& d, const UniqueFd& fd) {
  tar.add_file(blob_name(d), fd.get(), "blob " + d.str());
}

// The image's blobs not written yet: layers (kept, or rebuilt from diff/), config, manifest.
void write_blobs(Store& store, TarWriter& tar, const ImageOut& img, std::set<Digest>& written) {
  for (const LayerInfo& l : img.layers) {
    Layer layer = layer_of(l);
    if (!written.insert(layer.archive_digest()).second) continue;
    if (layer.digest) {
      add_blob(tar, *layer.digest, open_compressed(store, l));
      continue;
    }
    // Rebuilt from diff/: the bytes are checked against the diff ID as they go.
    UncompressedLayer rebuilt(store, l);
    tar.add_stream(blob_name(layer.diff_id), layer.size, rebuilt);
    rebuilt.verify();
  }
  if (written.insert(img.id).second) add_blob(tar, img.id, store.blobs().open(img.id));
  if (written.insert(img.manifest).second) tar.add_bytes(blob_name(img.manifest), img.manifest_bytes);
}

// The three indexes of the archive: Docker's manifest.json and repositories, the OCI index.
struct ArchiveIndexes {
  Json manifest_json = Json::array();
  Json index_manifests = Json::array();
  Json repositories = Json::object();

  void add(const ImageOut& img) {
    Json entry = Json::object();
    entry["Config"] = blob_name(img.id);
    Json repo_tags = Json::array();
    for (const std::string& t : img.tags) repo_tags.push_back(parse_normalized_named_or_throw(t).familiar_str());
    entry["RepoTags"] = img.tags.empty() ? Json() : repo_tags;
    Json layers = Json::array();
    for (const LayerInfo& l : img.layers) layers.push_back(blob_name(layer_of(l).archive_digest()));
    entry["Layers"] = layers;
    manifest_json.push_back(entry);

    Json desc = {{"mediaType", media_type::kOciManifest},
                 {"digest", img.manifest.str()},
                 {"size", static_cast<int64_t>(img.manifest_bytes.size())}};
    if (img.tags.empty()) index_manifests.push_back(desc);
    for (const std::string& t : img.tags) {
      Reference r = parse_normalized_named_or_throw(t);
      Json tagged = desc;
      tagged["annotations"] = {{"io.containerd.image.name", r.str()}, {"org.opencontainers.image.ref.name", r.tag}};
      index_manifests.push_back(tagged);
      repositories[r.familiar_name()][r.tag] = img.id.hex();
    }
  }
};

}  // namespace

void save_images(Store& store, const std::vector<SaveItem>& items, int out_fd, const std::string& what) {
  std::vector<ImageOut> images = group_by_image(store, items);
  prepare(store, images);
  TarWriter tar(out_fd, what);
  tar.add_directory("blobs/");
  tar.add_directory("blobs/sha256/");
  std::set<Digest> written;
  ArchiveIndexes indexes;
  for (const ImageOut& img : images) {
    write_blobs(store, tar, img, written);
    indexes.add(img);
  }
  Json index = {{"schemaVersion", 2}, {"mediaType", media_type::kOciIndex}, {"manifests", indexes.index_manifests}};
  tar.add_bytes("index.json", index.dump() + "\n");
  tar.add_bytes("manifest.json", indexes.manifest_json.dump() + "\n");
  tar.add_bytes("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}");
  if (!indexes.repositories.empty()) tar.add_bytes("repositories", indexes.repositories.dump() + "\n");
  tar.finish();
}

}  // namespace berth
