#include "registry/image_pusher.h"

#include <fcntl.h>

#include <mutex>
#include <optional>
#include <set>

#include "image/layer.h"
#include "image/layer_compress.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/manifest.h"
#include "core/parallel_for.h"
#include "core/reference.h"
#include "store/durability_marks.h"
#include "store/database.h"
#include "store/event_log.h"

namespace berth {
namespace {

// One layer of the image on its way up.
struct LayerUpload {
  const LayerInfo* record = nullptr;
  Layer layer;                           // as it is sent: compressed
  std::optional<StagedBlob> compressed;  // made for this push and not kept: sent from tmp/
  bool needs_compression = false;
  std::vector<LayerStore::PushedArchive> pushed_before;  // archives of its tar pushed before (before compressing)
};

// A layer to compress whose tar was pushed before as an archive the
// registry still has: that archive is the layer's, nothing compressed.
bool found_pushed_before(RegistryClient& client, const std::string& repo, LayerUpload& b) {
  for (const LayerStore::PushedArchive& a : b.pushed_before) {
    if (!client.has_blob(repo, a.blob)) continue;
    b.layer.digest = a.blob;
    b.layer.size = a.size;
    b.layer.media_type = a.media_type;
    return true;
  }
  return false;
}

// The image's stored manifest, if its blobs are the ones kept here: then
// pushing it as is gives the registry back the digest it once served.
std::optional<std::string> reusable_manifest(Store& store, const ImageRecord& rec, const std::vector<Descriptor>& layers) {
  if (!rec.manifest || !store.blobs().has(*rec.manifest)) return std::nullopt;
  std::string bytes = store.blobs().read(*rec.manifest);
  Manifest m = parse_manifest(bytes, "stored manifest");
  if (m.config.digest != rec.id || m.layers.size() != layers.size()) return std::nullopt;
  for (size_t i = 0; i < layers.size(); ++i)
    if (m.layers[i].digest != layers[i].digest) return std::nullopt;
  return bytes;
}

// An OCI image manifest, as current Docker and BuildKit push them: it names
// gzip and zstd layers alike, every peer here reads it (Docker since 17.x),
// and `skopeo copy … oci:` keeps it, and so its digest, unchanged.
std::pair<std::string, std::string> make_manifest(const std::string& config, const Digest& id,
                                                  const std::vector<Descriptor>& layers) {
  Json j = Json::object();
  j["schemaVersion"] = 2;
  j["mediaType"] = media_type::kOciManifest;
  j["config"] = {{"mediaType", media_type::kOciConfig},
                 {"digest", id.str()},
                 {"size", static_cast<int64_t>(config.size())}};
  j["layers"] = Json::array();
  for (const Descriptor& l : layers) j["layers"].push_back(l.to_json());
  return {j.dump(), media_type::kOciManifest};
}

// Compresses a layer that keeps no compressed archive, and keeps the result
// as its archive (unless another push did so first).
void compress_for_push(Store& store, std::mutex& db_mu, const std::filesystem::path& staging, LayerUpload& b) {
  std::filesystem::path file = staging / b.record->chain_id.hex();
  StagedBlob c = compress_layer(store, *b.record, file);
  b.layer.digest = c.digest();
  b.layer.size = c.size();
  b.layer.media_type = media_type::kOciLayerGzip;
  b.compressed = c;
  std::lock_guard lock(db_mu);  // one transaction at a time on the connection
  store.layers().remember_archive(b.record->diff_id, {c.digest(), b.layer.media_type, c.size()});
  if (b.record->blob) return;  // an uncompressed archive is kept: push this one, keep that
  Transaction tx(store.db());
  if (store.layers().attach_blob(b.record->chain_id, c.digest(), b.layer.media_type, c.size())) {
    if (store.blobs().adopt(c, c.digest()))  // false: the same bytes were there already
      DurabilityMarks(store.db()).mark(DurabilityMarks::kBlob, c.digest().str());
    b.compressed.reset();  // sent from the store now
    tx.commit();
  }
}

// A layer sent as its plain tar: its digest is the diff ID.
void send_as_plain_tar(LayerUpload& b) {
  b.layer.digest = b.record->diff_id;
  b.layer.size = b.record->tar_size;
  b.layer.media_type = media_type::kOciLayer;
}

// Sends the plain tar, rebuilt from the layer's files.
void push_plain_tar(Store& store, RegistryClient& client, const std::string& repo, LayerUpload& b,
                    const std::function<void(const std::string&, const std::string&)>& say) {
  const LayerInfo& record = *b.record;
  std::string id = record.diff_id.short_id();
  say(id, "Pushing");
  client.upload_blob(repo, record.diff_id, record.tar_size,
                     [&] { return std::make_unique<UncompressedLayer>(store, record); });
  say(id, "Pushed");
}

}  // namespace

std::vector<Descriptor> push_layers(Store& store, RegistryClient& client, const std::string& repo,
                                    const std::vector<LayerInfo>& stack, const std::string& mount_from,
                                    const PushOptions& options, const ProgressFn& progress) {
  std::vector<LayerUpload> layers;
  for (const LayerInfo& l : stack) {
    LayerUpload b{&l, layer_of(l), std::nullopt, false, {}};
    b.needs_compression = !b.layer.compressed();
    if (b.needs_compression) b.pushed_before = store.layers().pushed_archives(l.diff_id);
    layers.push_back(b);
    progress({l.diff_id.short_id(), "Preparing"});
  }
  StagingDir staging = store.make_staging_dir("push");
  std::mutex progress_mu, db_mu;
  auto say = [&](const std::string& id, const std::string& status) {
    std::lock_guard lock(progress_mu);
    progress({id, status});
  };
  parallel_for_each(
      layers,
      [&](LayerUpload& b) {
        std::string id = b.layer.diff_id.short_id();
        if (b.needs_compression && found_pushed_before(client, repo, b)) {
          say(id, "Layer already exists");
          return;
        }
        if (b.needs_compression && options.incompressible_as_tar && b.record->tar_split) {
          // Sent as a plain tar before (it did not compress, or went up while its
          // commit made it: layer_upload_stream.h): asked first, as it costs one request.
          if (client.has_blob(repo, b.record->diff_id)) {
            send_as_plain_tar(b);
            say(id, "Layer already exists");
            return;
          }
          if (!layer_compresses(store, *b.record)) {
            send_as_plain_tar(b);
            push_plain_tar(store, client, repo, b, say);
            return;
          }
        }
        if (b.needs_compression) compress_for_push(store, db_mu, staging.path(), b);
        const Digest& digest = *b.layer.digest;
        if (client.has_blob(repo, digest)) {
          say(id, "Layer already exists");
        } else if (!mount_from.empty() && client.mount_blob(repo, digest, mount_from)) {
          say(id, "Mounted from " + mount_from);
        } else {
          say(id, "Pushing");
          UniqueFd fd = b.compressed ? open_or_throw(b.compressed->file(), O_RDONLY | O_CLOEXEC)
                                     : store.blobs().open(digest);
          client.upload_blob(repo, digest, fd.get(), b.layer.size);
          say(id, "Pushed");
        }
      },
      static_cast<size_t>(std::max(1, options.max_concurrent_uploads)));
  std::vector<Descriptor> out;
  for (const LayerUpload& u : layers) {
    const Layer& l = u.layer;
    const char* mt = l.media_type == media_type::kOciLayer   ? media_type::kOciLayer
                     : l.media_type.ends_with("zstd")       ? media_type::kOciLayerZstd
                                                            : media_type::kOciLayerGzip;
    out.push_back({mt, *l.digest, l.size, Json::object(), Json()});
  }
  return out;
}

std::string mount_source(Store& store, const Reference& to, const std::vector<Digest>& images) {
  std::set<Digest> seen;
  for (const Digest& image : images) {
    // Up the chain of parents: a built step has no repository of its own, its base has.
    for (std::optional<Digest> id = image; id && seen.insert(*id).second;) {
      for (const std::string& name : store.images().repo_digests_of(*id)) {
        Reference other = parse_normalized_named_or_throw(name);
        if (other.domain == to.domain && other.path != to.path) return other.path;
      }
      std::optional<ImageRecord> rec = store.images().get(*id);
      id = rec ? rec->parent : std::nullopt;
    }
  }
  return "";
}

PushResult push_image(Store& store, RegistryClient& client, const Reference& ref, const Digest& image_id,
                      const PushOptions& options, const ProgressFn& progress) {
  std::optional<ImageRecord> rec = store.images().get(image_id);
  if (!rec) throw not_found("No such image: " + image_id.str());
  std::string config = store.blobs().read(image_id);
  std::vector<LayerInfo> stack = rec->top_layer ? store.layers().stack(*rec->top_layer) : std::vector<LayerInfo>{};

  std::vector<Descriptor> layers =
      push_layers(store, client, ref.path, stack, mount_source(store, ref, {image_id}), options, progress);
  if (!client.has_blob(ref.path, image_id)) client.upload_blob(ref.path, image_id, config);

  std::string manifest, mt;
  if (std::optional<std::string> kept = reusable_manifest(store, *rec, layers)) {
    manifest = *kept;
    Json doc = Json::parse(manifest);
    mt = detect_manifest_media_type(doc, "stored manifest");
  } else {
    std::tie(manifest, mt) = make_manifest(config, image_id, layers);
  }
  PushResult result{client.put_manifest(ref.path, ref.tag, mt, manifest), static_cast<int64_t>(manifest.size())};

  Transaction tx(store.db());
  if (store.images().get(image_id)) {
    if (!store.blobs().has(Digest::of(manifest)))
      DurabilityMarks(store.db()).mark(DurabilityMarks::kBlob, store.blobs().put(manifest).str());
    store.images().set_manifest_if_none(image_id, result.digest);
    store.images().add_repo_digest(ref.name() + "@" + result.digest.str(), image_id);
  }
  tx.commit();
  record_event(store.root(), "image", "push", ref.familiar_str(), Json{{"name", ref.familiar_name()}});
  return result;
}

}  // namespace berth
