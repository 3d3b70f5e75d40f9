// --cache-to: the steps of a build written where another machine's
// --cache-from reads them (builder/cache_description.h). mode=min exports the
// steps the final image was made by (its stage and the stages it is FROM),
// mode=max every step of every stage built. Blobs the registry already has
// are not sent again (push_layers: HEAD first, cross-repository mount).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "builder/cache_description.h"
#include "core/reference.h"
#include "registry/registry_client.h"
#include "store/store.h"

namespace berth {

// A step this build made or took from a cache: its key, its parent's key, its image.
struct MadeStep {
  std::string key, parent;
  Digest image;
};

// The steps to export: all of them (every_stage), or the chain that ends in `final_key`.
std::vector<MadeStep> steps_to_export(const std::vector<MadeStep>& made, const std::string& final_key,
                                      bool every_stage);

// type=registry,ref=REF: layers, config and manifest pushed; the manifest tagged REF.
void export_to_registry(Store& store, RegistryClient& client, const Reference& ref, const std::vector<MadeStep>& steps);

// type=local,dest=DIR: an OCI layout (oci-layout, index.json, blobs/sha256/).
void export_to_directory(Store& store, const std::filesystem::path& dir, const std::vector<MadeStep>& steps);

// type=inline: the field to put in the final image's config; the step that
// made `final_image` is written as "" (the image carrying it).
Json inline_cache_field(Store& store, const std::vector<MadeStep>& steps, const Digest& final_image);

}  // namespace berth
