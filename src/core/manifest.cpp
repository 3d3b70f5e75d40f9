#include "core/manifest.h"

#include "core/error.h"
#include "core/json_members.h"

namespace berth {
namespace {

Json parse_object(const std::string& raw, const std::string& what) {
  Json doc = Json::parse(raw, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw Error(what + ": not a JSON object");
  return doc;
}

}  // namespace

Descriptor Descriptor::parse(const Json& j, const std::string& what) {
  if (!j.is_object()) throw Error(what + ": descriptor is not a JSON object");
  Descriptor d;
  d.media_type = string_member(j, "mediaType");
  std::string digest = string_member(j, "digest");
  if (!Digest::try_parse(digest, &d.digest)) throw Error(what + ": invalid descriptor digest \"" + digest + "\"");
  if (!j.contains("size") || !j["size"].is_number_integer() || j["size"].get<int64_t>() < 0)
    throw Error(what + ": descriptor " + digest + " has no valid size");
  d.size = j["size"].get<int64_t>();
  if (j.contains("annotations") && j["annotations"].is_object()) d.annotations = j["annotations"];
  if (j.contains("platform")) d.platform = j["platform"];
  return d;
}

Json Descriptor::to_json() const {
  Json j;
  j["mediaType"] = media_type;
  j["digest"] = digest.str();
  j["size"] = size;
  if (!annotations.empty()) j["annotations"] = annotations;
  if (!platform.is_null()) j["platform"] = platform;
  return j;
}

bool is_index_media_type(const std::string& mt) {
  return mt == media_type::kOciIndex || mt == media_type::kDockerManifestList;
}

std::string detect_manifest_media_type(const Json& doc, const std::string& what) {
  std::string mt = string_member(doc, "mediaType");
  bool schema1 = doc.contains("schemaVersion") && doc["schemaVersion"].is_number_integer() && doc["schemaVersion"] == 1;
  if (mt == media_type::kDockerSchema1 || mt == media_type::kDockerSchema1Signed || schema1)
    throw Error(what + ": Docker image manifest schema 1 is not supported; push the image again with a current client");
  if (!mt.empty()) return mt;
  if (doc.contains("manifests")) return media_type::kOciIndex;
  if (doc.contains("config") && doc.contains("layers")) return media_type::kOciManifest;
  throw Error(what + ": not an image manifest or index");
}

Manifest parse_manifest(const std::string& raw, const std::string& what) {
  Json doc = parse_object(raw, what);
  Manifest m;
  m.media_type = detect_manifest_media_type(doc, what);
  if (m.media_type != media_type::kOciManifest && m.media_type != media_type::kDockerManifest)
    throw Error(what + ": unsupported manifest media type \"" + m.media_type + "\"");
  if (!doc.contains("config")) throw Error(what + ": manifest has no config");
  m.config = Descriptor::parse(doc["config"], what);
  if (!doc.contains("layers") || !doc["layers"].is_array()) throw Error(what + ": manifest has no layers array");
  for (const Json& l : doc["layers"]) m.layers.push_back(Descriptor::parse(l, what));
  return m;
}

Index parse_index(const std::string& raw, const std::string& what) {
  Json doc = parse_object(raw, what);
  Index idx;
  idx.media_type = detect_manifest_media_type(doc, what);
  if (!doc.contains("manifests") || !doc["manifests"].is_array()) throw Error(what + ": index has no manifests array");
  for (const Json& m : doc["manifests"]) idx.manifests.push_back(Descriptor::parse(m, what));
  return idx;
}

void check_image_manifest(const Manifest& m, const std::string& what) {
  const std::string& config = m.config.media_type;
  if (!config.empty() && config != media_type::kOciConfig && config != media_type::kDockerConfig)
    throw Error(what + ": its config is " + config + ", not an image config (not an image: an artifact?)");
  static const char* const kLayers[] = {
      media_type::kDockerLayerGzip,
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
      media_type::kOciLayer,
      media_type::kOciLayerGzip,
      media_type::kOciLayerZstd,
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
  };
  for (const Descriptor& l : m.layers) {
    if (l.media_type.empty()) continue;
    bool known = false;
    for (const char* k : kLayers) known = known || l.media_type == k;
    if (!known) throw Error(what + ": layer " + l.digest.str() + " has media type " + l.media_type + ", not an image layer");
  }
}

void check_descriptor_size(const Descriptor& d, int64_t actual, const std::string& what) {
  if (actual != d.size)
    throw Error(what + ": " + d.digest.str() + " is " + std::to_string(actual) + " bytes, its descriptor says " +
                std::to_string(d.size));
}

}  // namespace berth
