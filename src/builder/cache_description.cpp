#include "builder/cache_description.h"

#include "core/error.h"
#include "core/json_members.h"

namespace berth {
namespace {

Json steps_json(const std::vector<CachedStep>& steps) {
  Json out = Json::array();
  for (const CachedStep& s : steps) out.push_back({{"key", s.key}, {"parent", s.parent}, {"config", s.config}});
  return out;
}

std::vector<CachedStep> parse_steps(const Json& steps, const std::string& what) {
  if (!steps.is_array()) throw Error(what + ": no steps list");
  std::vector<CachedStep> out;
  for (const Json& s : steps) {
    if (!s.is_object() || !s.contains("key") || !s["key"].is_string() || !s.contains("parent") ||
        !s["parent"].is_string() || !s.contains("config") || !s["config"].is_string() || s["key"].get<std::string>().empty())
      throw Error(what + ": a step without its key, parent and config");
    out.push_back({s["key"].get<std::string>(), s["parent"].get<std::string>(), s["config"].get<std::string>()});
  }
  return out;
}

Json parse_json_object(const std::string& bytes, const std::string& what) {
  Json doc = Json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw Error(what + ": not a JSON object");
  return doc;
}

}  // namespace

std::string cache_config_json(const std::vector<CachedStep>& steps) {
  return Json{{"mediaType", kCacheConfigMediaType}, {"steps", steps_json(steps)}}.dump();
}

std::vector<CachedStep> parse_cache_config(const std::string& bytes, const std::string& what) {
  Json doc = parse_json_object(bytes, what);
  return parse_steps(doc.contains("steps") ? doc["steps"] : Json(), what);
}

std::string cache_manifest_json(const Descriptor& config, const std::vector<CachedLayer>& layers,
                                const std::vector<CachedStep>& steps) {
  Json m = {{"schemaVersion", 2}, {"mediaType", media_type::kOciManifest}, {"config", config.to_json()}};
  m["layers"] = Json::array();
  for (const CachedLayer& l : layers) {
    Descriptor d = l.blob;
    d.annotations[kDiffIdAnnotation] = l.diff_id.str();
    m["layers"].push_back(d.to_json());
  }
  std::string keys;
  for (const CachedStep& s : steps) keys += (keys.empty() ? "" : " ") + s.key;
  m["annotations"] = {{kCacheKeysAnnotation, keys}};
  return m.dump();
}

CacheManifest parse_cache_manifest(const std::string& bytes, const std::string& what) {
  Json doc = parse_json_object(bytes, what);
  Manifest m = parse_manifest(bytes, what);
  if (m.config.media_type != kCacheConfigMediaType)
    throw Error(what + ": not a berth build cache (its config is " +
                (m.config.media_type.empty() ? std::string("of no media type") : m.config.media_type) + ")");
  CacheManifest out;
  out.config = m.config;
  for (const Descriptor& d : m.layers) {
    Digest diff_id;
    if (!Digest::try_parse(string_member(d.annotations, kDiffIdAnnotation), &diff_id))
      throw Error(what + ": layer " + d.digest.str() + " has no diff ID annotation");
    out.layers.push_back({d, diff_id});
  }
  std::string keys = doc.contains("annotations") ? string_member(doc["annotations"], kCacheKeysAnnotation) : "";
  for (size_t at = 0; at < keys.size();) {
    size_t end = keys.find(' ', at);
    if (end == std::string::npos) end = keys.size();
    if (end > at) out.keys.insert(keys.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

Json inline_cache_json(const std::vector<CachedStep>& steps) { return {{"steps", steps_json(steps)}}; }

std::vector<CachedStep> inline_cache_steps(const Json& image_config, const std::string& what) {
  if (!image_config.is_object() || !image_config.contains(kInlineCacheField)) return {};
  const Json& field = image_config[kInlineCacheField];
  if (!field.is_object()) throw Error(what + ": its " + kInlineCacheField + " is not an object");
  return parse_steps(field.contains("steps") ? field["steps"] : Json(), what);
}

}  // namespace berth
