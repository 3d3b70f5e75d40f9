// The build cache as berth shares it between machines: an OCI image manifest
// (every registry takes one) whose config, of berth's own media type, lists
// the steps — each its cache key (builder/step_cache.h: chained from the base
// image's ID, so the same on every machine), its parent's key, and the config
// of the image it made, byte for byte (a hit gives the very image) — and
// whose layers are the layers those images stand on, each annotated with its
// diff ID. The manifest also lists every key, so a build that matches
// nothing has read only the manifest. BuildKit's registry cache
// (cache/remotecache) is the model; its media type is not reused, as its keys
// are BuildKit's own.
//
// The inline form (--cache-to type=inline) puts the steps in the built
// image's config instead; the layers are that image's own, and the last step's
// config is the image itself (written as "").
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/manifest.h"

namespace berth {

inline constexpr const char* kCacheConfigMediaType = "application/vnd.berth.build-cache.config.v1+json";
inline constexpr const char* kCacheKeysAnnotation = "org.berth.build-cache.keys";
inline constexpr const char* kDiffIdAnnotation = "containerd.io/uncompressed";  // as containerd annotates layers
inline constexpr const char* kInlineCacheField = "berth.build-cache";            // in an image config

struct CachedStep {
  std::string key;
  std::string parent;  // the key before it (or the base's, builder/step_cache.h base_key)
  std::string config;  // the image config it made; "" (inline): the image that carries the description
};

struct CachedLayer {
  Descriptor blob;  // compressed, as the registry or directory holds it
  Digest diff_id;
};

struct CacheManifest {
  Descriptor config;
  std::vector<CachedLayer> layers;
  std::set<std::string> keys;
};

// The config blob and its parse. Throws Error (naming `what`) for anything
// malformed: a cache someone else wrote is ignored with a warning, never trusted.
std::string cache_config_json(const std::vector<CachedStep>& steps);
std::vector<CachedStep> parse_cache_config(const std::string& bytes, const std::string& what);

// The manifest; its parse refuses a manifest that is not a berth build cache.
std::string cache_manifest_json(const Descriptor& config, const std::vector<CachedLayer>& layers,
                                const std::vector<CachedStep>& steps);
CacheManifest parse_cache_manifest(const std::string& bytes, const std::string& what);

// The field an image config carries its steps in (type=inline), and its parse:
// none when the config carries none.
Json inline_cache_json(const std::vector<CachedStep>& steps);

std::vector<CachedStep> inline_cache_steps(const Json& image_config, const std::string& what);

}  // namespace berth
