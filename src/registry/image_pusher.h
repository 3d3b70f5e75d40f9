// `push`: uploads an image's blobs (skipping those the registry has, mounting
// those another of its repositories has) and then its manifest. A pulled
// image is pushed as it was pulled — its original compressed blobs and its
// original manifest bytes — so the registry reports the digest the image had
// (Docker recompresses, and the digest changes). Layers made here are
// gzip-compressed once; the blob is kept for the next push.
#pragma once

#include <string>

#include "core/digest.h"
#include "core/reference.h"
#include "registry/image_puller.h"
#include "registry/registry_client.h"
#include "store/store.h"

namespace berth {

struct PushOptions {
  int max_concurrent_uploads = 5;  // Docker's default
  // A layer to compress whose tar does not compress (layer_compresses) goes
  // as the plain tar instead (BuildKit's cache exporters offer
  // compression=uncompressed): for a build cache, which berth alone reads.
  // An image push always compresses, as Docker does.
  bool incompressible_as_tar = false;
};

struct PushResult {
  Digest digest;  // of the manifest, as the registry stored it
  int64_t size = 0;
};

// Uploads the blobs of a layer stack to `repo` — compressing (once; the
// archive is kept) a layer kept without one, skipping those the registry has,
// mounting those its repository `mount_from` has — and returns their
// descriptors, in order.
std::vector<Descriptor> push_layers(Store& store, RegistryClient& client, const std::string& repo,
                                    const std::vector<LayerInfo>& stack, const std::string& mount_from,
                                    const PushOptions& options, const ProgressFn& progress);

// Another repository of `to`'s registry that holds these images' blobs —
// one the images, or the images they were built on, were pulled from or
// pushed to — for push_layers' `mount_from` (a mount copies nothing); "" if none.
std::string mount_source(Store& store, const Reference& to, const std::vector<Digest>& images);

// `ref` is normalised and has a tag.
PushResult push_image(Store& store, RegistryClient& client, const Reference& ref, const Digest& image_id,
                      const PushOptions& options, const ProgressFn& progress);

}  // namespace berth
