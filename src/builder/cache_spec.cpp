#include "builder/cache_spec.h"

#include "core/error.h"
#include "core/key_value_list.h"

namespace berth {

CacheSpec parse_cache_spec(const std::string& text, CacheDirection direction) {
  const char* flag = direction == CacheDirection::kExport ? "--cache-to" : "--cache-from";
  CacheSpec spec;
  spec.text = text;
  if (text.find("type=") == std::string::npos && text.find('=') == std::string::npos) {
    if (direction == CacheDirection::kExport) throw Error(std::string(flag) + " " + text + ": type= is required");
    spec.ref = text;
    return spec;
  }
  auto bad = [&](const std::string& why) { return Error(std::string(flag) + " " + text + ": " + why); };
  std::string type;
  for (const auto& [key, value] : parse_key_value_list(text)) {
    if (key == "type") type = value;
    else if (key == "ref") spec.ref = value;
    else if (key == "dest" && direction == CacheDirection::kExport) spec.directory = value;
    else if (key == "src" && direction == CacheDirection::kImport) spec.directory = value;
    else if (key == "mode" && direction == CacheDirection::kExport) {
      if (value != "min" && value != "max") throw bad("mode must be min or max");
      spec.every_stage = value == "max";
    } else if (key == "ignore-error" && direction == CacheDirection::kExport) {
      if (value != "true" && value != "false") throw bad("ignore-error must be true or false");
      spec.ignore_error = value == "true";
    } else if (key == "compression" || key == "oci-mediatypes" || key == "image-manifest" || key == "digest" ||
               key == "tag") {
      // BuildKit's options that do not change what berth writes: accepted, as a CI script may pass them.
    } else {
      throw bad("unknown option " + key);
    }
  }
  if (type == "registry") {
    spec.type = CacheSpec::Type::kRegistry;
    if (spec.ref.empty()) throw bad("ref= is required");
  } else if (type == "local") {
    spec.type = CacheSpec::Type::kLocal;
    if (spec.directory.empty()) throw bad(direction == CacheDirection::kExport ? "dest= is required" : "src= is required");
  } else if (type == "inline") {
    spec.type = CacheSpec::Type::kInline;
    if (direction == CacheDirection::kImport) throw bad("type=inline is for --cache-to (give the image to --cache-from)");
  } else {
    throw bad(type.empty() ? "type= is required" : "unsupported type " + type + " (registry, local or inline)");
  }
  return spec;
}

}  // namespace berth
