#include "registry/image_puller.h"

#include <fcntl.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "image/layer_apply.h"
#include "core/chunk_queue.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/image_config.h"
#include "core/manifest.h"
#include "core/parallel_for.h"
#include "store/registration.h"
#include "store/event_log.h"

namespace berth {
namespace {

constexpr size_t kChunk = 1 << 20;            // bytes handed from download to extraction at a time
constexpr size_t kBudget = size_t{256} << 20;  // in flight between them, all layers together

struct ResolvedImage {
  Digest digest;  // of what the name points at (index or manifest)
  FetchedManifest manifest;
  Manifest parsed;
  ImageConfig config;
};

ResolvedImage resolve(RegistryClient& client, const Reference& ref, const std::string& repo, const Platform& platform,
                      bool required) {
  std::string name = ref.familiar_str();
  FetchedManifest top = client.get_manifest(repo, ref.digest.empty() ? ref.tag : ref.digest);
  ResolvedImage r{top.digest, top, {}, {}};
  if (is_index_media_type(top.media_type)) {
    Index index = parse_served([&] { return parse_index(top.bytes, "index of " + name); });
    std::optional<Descriptor> d = pick_manifest(index, platform);
    if (!d) throw not_found("no matching manifest for " + platform.str() + " in the manifest list entries of " + name);
    r.manifest = client.get_manifest(repo, d->digest.str());
    parse_served([&] { check_descriptor_size(*d, static_cast<int64_t>(r.manifest.bytes.size()), "manifest of " + name); });
    if (is_index_media_type(r.manifest.media_type))
      throw invalid_argument(name + ": an index inside an index is not supported");
  }
  r.parsed = parse_served([&] {
    Manifest m = parse_manifest(r.manifest.bytes, "manifest of " + name);
    check_image_manifest(m, "manifest of " + name);
    return m;
  });
  std::string config = client.get_small_blob(repo, r.parsed.config.digest, r.parsed.config.size);
  r.config = parse_served([&] { return ImageConfig::parse(config, "config of " + name); });
  std::string os = r.config.str("os"), arch = r.config.str("architecture");
  if (required && !os.empty() && !arch.empty()) {
    std::string variant = r.config.str("variant");
    std::string text = os + "/" + arch + (variant.empty() ? "" : "/" + variant);
    Platform actual = parse_served([&] { return Platform::parse(text); });
    if (!actual.matches(platform))
      throw not_found("image with reference " + name + " was found but does not match the specified platform: wanted " +
                      platform.str() + ", actual: " + actual.str());
  }
  if (r.config.diff_ids.size() != r.parsed.layers.size())
    throw invalid_argument(name + ": the manifest lists " + std::to_string(r.parsed.layers.size()) +
                           " layers but the config " + std::to_string(r.config.diff_ids.size()));
  return r;
}

// One layer to fetch: where it goes, and what it must turn out to be.
struct LayerDownload {
  Descriptor desc;
  Digest diff_id, chain;
  std::optional<Digest> parent;
  std::filesystem::path dir;
  AppliedLayer applied;
  std::optional<StagedBlob> blob;  // the download, hashed by the store as it was written
};

// Downloads on this thread while another extracts, joined by a bounded queue.
void fetch_layer(RegistryClient& client, const std::string& repo, MemoryBudget& budget, LayerDownload& l,
                 const ProgressFn& progress) {
  std::string what = "layer " + l.desc.digest.str();
  std::filesystem::create_directory(l.dir);
  BlobWriter spool(l.dir / "blob");

  ChunkQueue queue(budget);
  std::atomic<bool> extraction_failed{false};
  std::exception_ptr extraction_error;
  std::thread extractor([&] {
    try {
      l.applied = apply_layer(queue, l.dir, what, LayerHashing::kBlobByStore);
    } catch (...) {
      extraction_error = std::current_exception();
      extraction_failed = true;
      queue.abandon();
    }
  });
  try {
    std::string chunk;
    int64_t got = 0;
    client.get_blob(repo, l.desc.digest, l.desc.size, [&](const char* p, size_t n) {
      if (extraction_failed) throw Error(what + ": extraction failed");
      spool.write(p, n);
      chunk.append(p, n);
      got += static_cast<int64_t>(n);
      if (chunk.size() >= kChunk) {
        queue.push(std::exchange(chunk, {}));
        progress({l.desc.digest.short_id(), "Downloading", got, l.desc.size});
      }
    });
    queue.push(std::move(chunk));
    queue.close();
  } catch (...) {
    queue.fail(std::current_exception());
    extractor.join();
    if (extraction_error) std::rethrow_exception(extraction_error);  // the root cause
    throw;
  }
  extractor.join();
  if (extraction_error) std::rethrow_exception(extraction_error);
  l.blob = spool.finish();
  take_blob_digest(l.applied, *l.blob);

  if (l.applied.blob != l.desc.digest)
    throw invalid_argument(what + ": downloaded content does not match its digest (it is " + l.applied.blob.str() +
                           ")");
  if (l.applied.blob_size != l.desc.size)
    throw invalid_argument(what + ": downloaded " + std::to_string(l.applied.blob_size) +
                           " bytes, the manifest says " + std::to_string(l.desc.size));
  if (l.applied.diff_id != l.diff_id)
    throw invalid_argument(what + ": content does not match the config's diff ID (it is " + l.applied.diff_id.str() +
                           ")");
}

}  // namespace

std::vector<StagedLayer> fetch_missing_layers(Store& store, RegistryClient& client, const std::string& repo,
                                              const std::vector<Descriptor>& layers, const std::vector<Digest>& diff_ids,
                                              const StagingDir& staging, int max_concurrent_downloads,
                                              const ProgressFn& progress) {
  std::vector<Digest> chains = chain_ids(diff_ids);
  std::vector<LayerDownload> downloads;
  std::set<Digest> planned;
  for (size_t i = 0; i < chains.size(); ++i) {
    const Descriptor& desc = layers.at(i);
    if (store.layers().get(chains[i]) || planned.count(chains[i])) {
      progress({desc.digest.short_id(), "Already exists"});
      continue;
    }
    planned.insert(chains[i]);
    downloads.push_back({desc, diff_ids[i], chains[i], i ? std::optional(chains[i - 1]) : std::nullopt,
                         staging.path() / chains[i].hex(), {}, std::nullopt});
    progress({desc.digest.short_id(), "Pulling fs layer"});
  }

  MemoryBudget budget(kBudget);
  std::mutex progress_mu;
  ProgressFn say = [&](const LayerProgress& p) {
    std::lock_guard lock(progress_mu);
    progress(p);
  };
  parallel_for_each(
      downloads,
      [&](LayerDownload& l) {
        fetch_layer(client, repo, budget, l, say);
        say({l.desc.digest.short_id(), "Download complete"});
        say({l.desc.digest.short_id(), "Pull complete"});
      },
      static_cast<size_t>(std::max(1, max_concurrent_downloads)));
  if (!downloads.empty()) sync_filesystem(staging.path());

  std::vector<StagedLayer> staged;
  for (LayerDownload& l : downloads) {
    staged.push_back(stage_applied_layer(l.dir, l.chain, l.parent, l.applied, l.blob, l.desc.media_type));
    if (!staged.back().info.blob) std::filesystem::remove(l.blob->file());  // a plain tar: diff/ and tar-split describe it
  }
  return staged;
}

PullResult pull_image(Store& store, RegistryClient& client, const Reference& ref, const PullOptions& options,
                      const ProgressFn& progress) {
  const std::string& repo = options.repository.empty() ? ref.path : options.repository;
  ResolvedImage img = resolve(client, ref, repo, options.platform, options.platform_required);
  std::vector<Digest> chains = chain_ids(img.config.diff_ids);
  StagingDir staging = store.make_staging_dir("pull");
  std::vector<StagedLayer> fetched = fetch_missing_layers(store, client, repo, img.parsed.layers,
                                                          img.config.diff_ids, staging,
                                                          options.max_concurrent_downloads, progress);
  Registration reg(store);
  for (StagedLayer& s : fetched) reg.add_layer(s);
  for (const Digest& chain : chains)
    if (!store.layers().get(chain))
      throw conflict("layer " + chain.str() + " was removed by another berth command during the pull; pull again");
  int64_t now = unix_now();
  Digest id = reg.add_image(img.config.raw, chains.empty() ? std::nullopt : std::optional(chains.back()),
                            img.manifest.bytes, now);
  PullResult result{id, img.digest, true};
  if (ref.digest.empty()) {
    std::optional<Digest> before = store.images().by_name(ref.str());
    result.newer = !before || *before != id;
    reg.tag(ref.str(), id, now);
  }
  reg.add_repo_digest(ref.name() + "@" + img.digest.str(), id);
  reg.commit();
  record_event(store.root(), "image", "pull", ref.familiar_str(), Json{{"name", ref.familiar_name()}});
  return result;
}

}  // namespace berth
