// --cache-from: build caches other machines shared (builder/cache_description.h),
// asked in the order given — the first that has a step's key gives it, never
// one picked at random (BuildKit's moby/buildkit#6418). A source is read
// lazily: a registry's manifest at the first lookup (a build that matches
// nothing costs that one request), its config at the first key it lists, and
// a step's layers only when that step is taken — those the store lacks, so
// the layers of the longest matching chain are what is downloaded.
//
// A source that cannot be read (unreachable, unauthorised, not a berth cache,
// malformed) is a one-line warning and no hits, never a failed build.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "builder/cache_description.h"
#include "builder/cache_spec.h"
#include "core/image_config.h"
#include "core/reference.h"
#include "registry/registry_client.h"
#include "store/registration.h"
#include "store/store.h"

namespace berth {

// One place a cache is read from.
class CacheSource {
 public:
  virtual ~CacheSource() = default;
  // The step with `key`, if this source has it.
  virtual std::optional<CachedStep> step(const std::string& key) = 0;
  // The config a step written as "" stands for (inline: the carrying image's).
  virtual std::string carrier_config() { return ""; }
  // The layers of `diff_ids` (a stack, bottom first) the store lacks, staged
  // under `staging` and checked against their digests. Throws Error.
  virtual std::vector<StagedLayer> fetch_layers(Store& store, const std::vector<Digest>& diff_ids,
                                                const StagingDir& staging) = 0;
  // Whether the layers of `diff_ids` the store lacks are there to fetch (a
  // HEAD for each blob not yet seen): a step is taken only then, so that a
  // cache with a blob gone is a rebuilt step, not a build failing later on.
  virtual bool holds_layers(Store& store, const std::vector<Digest>& diff_ids) = 0;
  virtual std::string name() const = 0;
};

using WarnFn = std::function<void(const std::string&)>;

// type=registry,ref=REF: the cache manifest REF names.
std::unique_ptr<CacheSource> registry_cache_source(std::unique_ptr<RegistryClient> client, Reference ref, WarnFn warn);
// type=local,src=DIR: an OCI layout (as type=local,dest= writes it).
std::unique_ptr<CacheSource> local_cache_source(const std::string& directory, WarnFn warn);
// An image in the store whose config carries an inline cache; null when it carries none.
std::unique_ptr<CacheSource> inline_cache_source(Store& store, const Digest& image, WarnFn warn);

// A step a source has: its image's config, its layers not fetched yet.
struct FoundStep {
  CacheSource* source = nullptr;
  std::string key;
  ImageConfig config;
};

class CacheImport {
 public:
  void add(std::unique_ptr<CacheSource> source) { sources_.push_back(std::move(source)); }
  bool empty() const { return sources_.empty(); }
  // The step with `key` from the first source that has it and holds the
  // layers `store` lacks (a config that is not an image config, or a layer
  // gone, is warned about and skipped). Nothing is downloaded.
  std::optional<FoundStep> find(Store& store, const std::string& key, const WarnFn& warn);
  // Brings a found step into the store: the layers it lacks, then its image,
  // with `parent` as its parent, as the cache's step for its key. Throws Error.
  Digest materialize(Store& store, const FoundStep& step, const std::optional<Digest>& parent);

 private:
  std::vector<std::unique_ptr<CacheSource>> sources_;
};

}  // namespace berth
