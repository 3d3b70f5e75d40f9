#include "builder/cache_export.h"

#include <fcntl.h>

#include <map>
#include <set>

#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"
#include "image/layer.h"
#include "image/layer_compress.h"
#include "registry/image_pusher.h"
#include "store/blob_store.h"

namespace berth {
namespace {

std::vector<CachedStep> described(Store& store, const std::vector<MadeStep>& steps) {
  std::vector<CachedStep> out;
  for (const MadeStep& s : steps) out.push_back({s.key, s.parent, store.blobs().read(s.image)});
  return out;
}

// Every layer the steps' images stand on, each once, bottom first.
std::vector<LayerInfo> layers_of(Store& store, const std::vector<MadeStep>& steps) {
  std::vector<LayerInfo> out;
  std::set<Digest> seen;
  for (const MadeStep& s : steps) {
    std::optional<ImageRecord> rec = store.images().get(s.image);
    if (!rec) throw Error("image " + s.image.short_id() + " of a step was removed during the build");
    if (!rec->top_layer) continue;
    for (LayerInfo& l : store.layers().stack(*rec->top_layer))
      if (seen.insert(l.chain_id).second) out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

std::vector<MadeStep> steps_to_export(const std::vector<MadeStep>& made, const std::string& final_key,
                                      bool every_stage) {
  if (every_stage) return made;
  std::map<std::string, const MadeStep*> by_key;
  for (const MadeStep& s : made) by_key[s.key] = &s;
  std::vector<MadeStep> chain;
  for (auto it = by_key.find(final_key); it != by_key.end(); it = by_key.find(it->second->parent)) {
    chain.insert(chain.begin(), *it->second);
    if (chain.size() > made.size()) break;  // a cycle cannot happen (keys chain by hash); never loop on one
  }
  return chain;
}

void export_to_registry(Store& store, RegistryClient& client, const Reference& ref, const std::vector<MadeStep>& steps) {
  std::vector<LayerInfo> stack = layers_of(store, steps);
  PushOptions options;
  options.incompressible_as_tar = true;
  std::vector<Digest> images;
  for (const MadeStep& s : steps) images.push_back(s.image);
  // The base's layers, on a first export: mounted from where the base came from, not sent.
  std::vector<Descriptor> blobs = push_layers(store, client, ref.path, stack, mount_source(store, ref, images), options,
                                              [](const LayerProgress&) {});
  std::vector<CachedLayer> layers;
  for (size_t i = 0; i < stack.size(); ++i) layers.push_back({blobs[i], stack[i].diff_id});
  std::vector<CachedStep> described_steps = described(store, steps);
  std::string config = cache_config_json(described_steps);
  Descriptor config_desc{kCacheConfigMediaType, Digest::of(config), static_cast<int64_t>(config.size()), Json::object(),
                         Json()};
  if (!client.has_blob(ref.path, config_desc.digest)) client.upload_blob(ref.path, config_desc.digest, config);
  client.put_manifest(ref.path, ref.digest.empty() ? ref.tag : ref.digest, media_type::kOciManifest,
                      cache_manifest_json(config_desc, layers, described_steps));
}

void export_to_directory(Store& store, const std::filesystem::path& dir, const std::vector<MadeStep>& steps) {
  std::filesystem::path blobs = dir / "blobs" / "sha256";
  std::filesystem::create_directories(blobs);
  StagingDir staging = store.make_staging_dir("cache-to");
  auto put = [&](const std::string& bytes) {
    Digest d = Digest::of(bytes);
    if (!std::filesystem::exists(blobs / d.hex())) write_file_atomic(blobs / d.hex(), bytes, 0644, Flush::when_full);
    return d;
  };
  std::vector<CachedLayer> layers;
  for (const LayerInfo& info : layers_of(store, steps)) {
    Layer l = layer_of(info);
    Descriptor d{l.media_type.ends_with("zstd") ? media_type::kOciLayerZstd : media_type::kOciLayerGzip,
                 l.archive_digest(), l.size, Json::object(), Json()};
    UniqueFd from;
    if (l.compressed()) {
      from = store.blobs().open(*l.digest);
    } else {  // kept as diff/ and tar-split: compressed for the cache (not kept)
      std::filesystem::path file = staging.path() / info.chain_id.hex();
      StagedBlob c = compress_layer(store, info, file);
      d = {media_type::kOciLayerGzip, c.digest(), c.size(), Json::object(), Json()};
      from = open_or_throw(file, O_RDONLY | O_CLOEXEC);
    }
    if (!std::filesystem::exists(blobs / d.digest.hex())) {
      std::filesystem::path part = blobs / (".part-" + d.digest.hex());
      std::filesystem::remove(part);
      try {
        BlobWriter copy(part, 0644);
        FdReader reader(from.get(), "layer " + d.digest.str());
        copy.copy_from(reader);
        if (copy.finish().digest() != d.digest) throw Error("layer " + d.digest.str() + " changed while it was copied");
        std::filesystem::rename(part, blobs / d.digest.hex());
      } catch (...) {
        std::error_code ignored;  // a failed export leaves the directory as it was
        std::filesystem::remove(part, ignored);
        throw;
      }
    }
    layers.push_back({d, info.diff_id});
  }
  std::vector<CachedStep> described_steps = described(store, steps);
  std::string config = cache_config_json(described_steps);
  Descriptor config_desc{kCacheConfigMediaType, put(config), static_cast<int64_t>(config.size()), Json::object(), Json()};
  std::string manifest = cache_manifest_json(config_desc, layers, described_steps);
  Digest manifest_digest = put(manifest);
  write_file_atomic(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})", 0644);
  Json index = {{"schemaVersion", 2},
                {"mediaType", media_type::kOciIndex},
                {"manifests", Json::array({{{"mediaType", media_type::kOciManifest},
                                             {"digest", manifest_digest.str()},
                                             {"size", static_cast<int64_t>(manifest.size())}}})}};
  write_file_atomic(dir / "index.json", index.dump(), 0644);  // last: a reader sees the old cache or the new
}

Json inline_cache_field(Store& store, const std::vector<MadeStep>& steps, const Digest& final_image) {
  std::vector<CachedStep> out;
  for (const MadeStep& s : steps)
    out.push_back({s.key, s.parent, s.image == final_image ? "" : store.blobs().read(s.image)});
  return inline_cache_json(out);
}

}  // namespace berth
