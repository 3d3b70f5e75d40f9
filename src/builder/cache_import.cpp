#include "builder/cache_import.h"

#include <fcntl.h>

#include <map>
#include <set>

#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/image_config.h"
#include "image/layer_apply.h"
#include "registry/image_puller.h"
#include "store/blob_store.h"

namespace berth {
namespace {

std::map<std::string, CachedStep> by_key(std::vector<CachedStep> steps) {
  std::map<std::string, CachedStep> out;
  for (CachedStep& s : steps) out.emplace(s.key, std::move(s));
  return out;
}

// The layers of `diff_ids` the store lacks, with their blobs' descriptors;
// throws when the cache does not hold one of them.
std::vector<Descriptor> descriptors_for(Store& store, const std::vector<CachedLayer>& layers,
                                        const std::vector<Digest>& diff_ids, const std::string& name) {
  std::map<Digest, Descriptor> by_diff_id;
  for (const CachedLayer& l : layers) by_diff_id.emplace(l.diff_id, l.blob);
  std::vector<Digest> chains = chain_ids(diff_ids);
  std::vector<Descriptor> out;
  for (size_t i = 0; i < diff_ids.size(); ++i) {
    auto it = by_diff_id.find(diff_ids[i]);
    if (it != by_diff_id.end()) out.push_back(it->second);
    else if (store.layers().get(chains[i])) out.push_back({"", diff_ids[i], 0, Json::object(), Json()});  // not fetched
    else throw Error(name + " does not hold layer " + diff_ids[i].str());
  }
  return out;
}

// A cache manifest and its config, however they are read.
class DescribedCache : public CacheSource {
 protected:
  explicit DescribedCache(std::string name, WarnFn warn) : name_(std::move(name)), warn_(std::move(warn)) {}

  virtual std::string read_manifest() = 0;
  virtual std::string read_config(const Descriptor& config) = 0;

  std::optional<CachedStep> step(const std::string& key) override {
    if (!usable()) return std::nullopt;
    if (!manifest_->keys.contains(key)) return std::nullopt;
    if (!steps_) {
      try {
        steps_ = by_key(parse_cache_config(read_config(manifest_->config), name_ + " config"));
      } catch (const Error& e) {
        return give_up(e.what());
      }
    }
    auto it = steps_->find(key);
    if (it == steps_->end()) return std::nullopt;
    return it->second;
  }

  bool holds_layers(Store& store, const std::vector<Digest>& diff_ids) override {
    std::vector<Descriptor> layers;
    try {
      layers = descriptors_for(store, manifest().layers, diff_ids, name_);
    } catch (const Error&) {
      return false;
    }
    for (const Descriptor& d : layers) {
      if (d.media_type.empty() || present_.contains(d.digest)) continue;  // here already, or seen
      if (!has_blob(d)) return false;
      present_.insert(d.digest);
    }
    return true;
  }

  std::string name() const override { return name_; }
  const CacheManifest& manifest() const { return *manifest_; }
  virtual bool has_blob(const Descriptor& blob) = 0;

 private:
  bool usable() {
    if (failed_) return false;
    if (manifest_) return true;
    try {
      manifest_ = parse_cache_manifest(read_manifest(), name_);
      return true;
    } catch (const Error& e) {
      give_up(e.what());
      return false;
    }
  }
  std::nullopt_t give_up(const std::string& why) {
    failed_ = true;
    warn_("WARNING: --cache-from " + name_ + " ignored: " + why);
    return std::nullopt;
  }

  std::string name_;
  WarnFn warn_;
  bool failed_ = false;
  std::optional<CacheManifest> manifest_;
  std::optional<std::map<std::string, CachedStep>> steps_;
  std::set<Digest> present_;  // blobs known to be there
};

class RegistryCache : public DescribedCache {
 public:
  RegistryCache(std::unique_ptr<RegistryClient> client, Reference ref, WarnFn warn)
      : DescribedCache(ref.familiar_str(), std::move(warn)), client_(std::move(client)), ref_(std::move(ref)) {}

  std::string read_manifest() override {
    return client_->get_manifest(ref_.path, ref_.digest.empty() ? ref_.tag : ref_.digest).bytes;
  }
  std::string read_config(const Descriptor& config) override { return client_->get_small_blob(ref_.path, config.digest); }
  bool has_blob(const Descriptor& blob) override {
    try {
      return client_->has_blob(ref_.path, blob.digest);
    } catch (const Error&) {
      return false;
    }
  }

  std::vector<StagedLayer> fetch_layers(Store& store, const std::vector<Digest>& diff_ids,
                                        const StagingDir& staging) override {
    std::vector<Descriptor> layers = descriptors_for(store, manifest().layers, diff_ids, name());
    return fetch_missing_layers(store, *client_, ref_.path, layers, diff_ids, staging, 4, [](const LayerProgress&) {});
  }

 private:
  std::unique_ptr<RegistryClient> client_;
  Reference ref_;
};

// An OCI layout directory: index.json names the manifest, blobs/sha256/ holds the rest.
class LocalCache : public DescribedCache {
 public:
  LocalCache(std::filesystem::path dir, WarnFn warn)
      : DescribedCache("type=local,src=" + dir.string(), std::move(warn)), dir_(std::move(dir)) {}

  std::string read_manifest() override {
    Json index = Json::parse(read_file(dir_ / "index.json"), nullptr, false);
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array() || index["manifests"].empty())
      throw Error("index.json names no manifest");
    return read_blob(Descriptor::parse(index["manifests"][0], "index.json").digest);
  }
  std::string read_config(const Descriptor& config) override { return read_blob(config.digest); }
  bool has_blob(const Descriptor& blob) override {
    std::error_code ec;
    uintmax_t size = std::filesystem::file_size(blob_path(blob.digest), ec);
    return !ec && size == static_cast<uintmax_t>(blob.size);
  }

  std::vector<StagedLayer> fetch_layers(Store& store, const std::vector<Digest>& diff_ids,
                                        const StagingDir& staging) override {
    std::vector<Descriptor> layers = descriptors_for(store, manifest().layers, diff_ids, name());
    std::vector<Digest> chains = chain_ids(diff_ids);
    std::vector<StagedLayer> staged;
    for (size_t i = 0; i < chains.size(); ++i) {
      if (store.layers().get(chains[i])) continue;
      std::filesystem::path dir = staging.path() / chains[i].hex();
      std::filesystem::create_directory(dir);
      std::string what = name() + " layer " + layers[i].digest.str();
      UniqueFd fd = open_or_throw(blob_path(layers[i].digest), O_RDONLY | O_CLOEXEC);
      FdReader raw(fd.get(), what);
      BlobWriter keep(dir / "blob");
      BlobTeeReader tee(raw, keep);
      AppliedLayer applied = apply_layer(tee, dir, what, LayerHashing::kBlobByStore);
      StagedBlob blob = keep.finish();
      take_blob_digest(applied, blob);
      if (applied.blob != layers[i].digest) throw Error(what + ": content does not match its digest");
      if (applied.diff_id != diff_ids[i]) throw Error(what + ": content does not match its diff ID");
      staged.push_back(stage_applied_layer(dir, chains[i], i ? std::optional(chains[i - 1]) : std::nullopt, applied,
                                           blob, layers[i].media_type));
      if (!staged.back().info.blob) std::filesystem::remove(blob.file());
    }
    if (!staged.empty()) sync_filesystem(staging.path());
    return staged;
  }

 private:
  std::filesystem::path blob_path(const Digest& d) const { return dir_ / "blobs" / "sha256" / d.hex(); }
  std::string read_blob(const Digest& d) const {
    std::string bytes = read_file(blob_path(d));
    if (Digest::of(bytes) != d) throw Error("blob " + d.str() + " does not match its digest");
    return bytes;
  }

  std::filesystem::path dir_;
};

// An image whose config carries its own steps: every layer is the image's, already here.
class InlineCache : public CacheSource {
 public:
  InlineCache(std::string name, std::string config, std::map<std::string, CachedStep> steps)
      : name_(std::move(name)), config_(std::move(config)), steps_(std::move(steps)) {}

  std::optional<CachedStep> step(const std::string& key) override {
    auto it = steps_.find(key);
    if (it == steps_.end()) return std::nullopt;
    return it->second;
  }
  std::string carrier_config() override { return config_; }
  std::vector<StagedLayer> fetch_layers(Store& store, const std::vector<Digest>& diff_ids, const StagingDir&) override {
    for (const Digest& chain : chain_ids(diff_ids))
      if (!store.layers().get(chain)) throw Error(name_ + " does not hold layer " + chain.str());
    return {};
  }
  bool holds_layers(Store& store, const std::vector<Digest>& diff_ids) override {
    for (const Digest& chain : chain_ids(diff_ids))
      if (!store.layers().get(chain)) return false;
    return true;
  }
  std::string name() const override { return name_; }

 private:
  std::string name_;
  std::string config_;
  std::map<std::string, CachedStep> steps_;
};

}  // namespace

std::unique_ptr<CacheSource> registry_cache_source(std::unique_ptr<RegistryClient> client, Reference ref, WarnFn warn) {
  return std::make_unique<RegistryCache>(std::move(client), std::move(ref), std::move(warn));
}

std::unique_ptr<CacheSource> local_cache_source(const std::string& directory, WarnFn warn) {
  return std::make_unique<LocalCache>(directory, std::move(warn));
}

std::unique_ptr<CacheSource> inline_cache_source(Store& store, const Digest& image, WarnFn warn) {
  ImageConfig config = store.config_of(image);
  try {
    std::vector<CachedStep> steps = inline_cache_steps(config.doc, "image " + image.short_id());
    if (steps.empty()) return nullptr;
    return std::make_unique<InlineCache>("image " + image.short_id(), config.raw, by_key(std::move(steps)));
  } catch (const Error& e) {
    warn(std::string("WARNING: the inline build cache of image ") + image.short_id() + " ignored: " + e.what());
    return nullptr;
  }
}

std::optional<FoundStep> CacheImport::find(Store& store, const std::string& key, const WarnFn& warn) {
  for (const std::unique_ptr<CacheSource>& source : sources_) {
    std::optional<CachedStep> step = source->step(key);
    if (!step) continue;
    try {
      FoundStep found{source.get(), key,
                      ImageConfig::parse(step->config.empty() ? source->carrier_config() : step->config,
                                         source->name() + " step")};
      if (source->holds_layers(store, found.config.diff_ids)) return found;
      warn("WARNING: --cache-from " + source->name() + ": a step's layers are not all there; the step is rebuilt");
    } catch (const Error& e) {
      warn("WARNING: --cache-from " + source->name() + ": a step could not be used: " + e.what());
    }
  }
  return std::nullopt;
}

Digest CacheImport::materialize(Store& store, const FoundStep& step, const std::optional<Digest>& parent) {
  StagingDir staging = store.make_staging_dir("cache-from");
  std::vector<StagedLayer> fetched = step.source->fetch_layers(store, step.config.diff_ids, staging);
  std::vector<Digest> chains = chain_ids(step.config.diff_ids);
  Registration reg(store);
  for (StagedLayer& s : fetched) reg.add_layer(s);
  for (const Digest& chain : chains)
    if (!store.layers().get(chain)) throw Error("layer " + chain.str() + " is missing");
  Digest id = reg.add_image(step.config.raw, chains.empty() ? std::nullopt : std::optional(chains.back()), std::nullopt,
                            unix_now(), parent);
  store.images().cache_step(step.key, id);
  reg.commit();
  return id;
}

}  // namespace berth
