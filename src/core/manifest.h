// Manifests and indexes: Docker manifest v2 schema 2 and manifest list, OCI
// image manifest and index. Only what berth reads is typed; the bytes are kept.
#pragma once

#include <string>
#include <vector>

#include "core/digest.h"
#include "core/image_config.h"

namespace berth {

namespace media_type {
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* kDockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr const char* kDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
}  // namespace media_type

struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = 0;
  Json annotations = Json::object();
  Json platform;  // null when absent

  static Descriptor parse(const Json& j, const std::string& what);
  Json to_json() const;
};

struct Manifest {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;
};

struct Index {
  std::string media_type;
  std::vector<Descriptor> manifests;
};

bool is_index_media_type(const std::string& mt);
// Classifies a JSON document by mediaType (or shape when absent).
// Throws for schema 1 with a message telling the user what to do.
std::string detect_manifest_media_type(const Json& doc, const std::string& what);
Manifest parse_manifest(const std::string& raw, const std::string& what);
Index parse_index(const std::string& raw, const std::string& what);

// What berth can run: a config that is an image config, and layers that are
// image layers (a tar, gzip or zstd; Docker's or OCI's, distributable or
// not). Throws Error naming what was found — an artifact's manifest (a Helm
// chart, a signature) is not an image. An empty media type passes (content decides).
void check_image_manifest(const Manifest& m, const std::string& what);
// The spec's MUST: the bytes a descriptor names are exactly its size.
void check_descriptor_size(const Descriptor& d, int64_t actual, const std::string& what);

}  // namespace berth
