// `pull`: resolves a name to a manifest (through an index, for the wanted
// platform), fetches the config, and downloads the missing layers in
// parallel, each in one streaming pass — HTTP body -> blob digest ->
// decompression -> diff ID -> extraction into its own layer directory
// (docs/architecture.md §1). The compressed blob is kept, so a push gives registries
// back the very blobs (and manifest digest) they served. Nothing is
// registered unless every digest matched.
#pragma once

#include <string>

#include "core/digest.h"
#include "core/manifest.h"
#include "core/platform.h"
#include "core/reference.h"
#include "registry/progress.h"
#include "registry/registry_client.h"
#include "store/registration.h"
#include "store/store.h"

namespace berth {

struct PullOptions {
  Platform platform = Platform::host();
  // Asked for with --platform: an image of another platform is then an error
  // (without it, whatever a plain manifest names is taken, as Docker does).
  bool platform_required = false;
  int max_concurrent_downloads = 6;
  // The repository at the client, when not the reference's own path (a mirror's).
  std::string repository;
};

struct PullResult {
  Digest image_id;
  Digest digest;      // what the name resolved to: the manifest, or the index
  bool newer = true;  // false when the name already meant this image
};

// Downloads the layers of a stack (`layers` describe the blobs, in the order of
// `diff_ids`) that the store lacks, each in one streaming pass and checked
// against its digest and diff ID, staged under `staging` and flushed: the
// caller registers them (store/registration.h) with whatever goes beside them.
std::vector<StagedLayer> fetch_missing_layers(Store& store, RegistryClient& client, const std::string& repo,
                                              const std::vector<Descriptor>& layers, const std::vector<Digest>& diff_ids,
                                              const StagingDir& staging, int max_concurrent_downloads,
                                              const ProgressFn& progress);

// `ref` is normalised, with a tag or a digest.
PullResult pull_image(Store& store, RegistryClient& client, const Reference& ref, const PullOptions& options,
                      const ProgressFn& progress);

}  // namespace berth
