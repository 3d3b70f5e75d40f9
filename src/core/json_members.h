// Members of JSON that came from outside — an image's config, a manifest, a
// registry's or a cache's answer: the value when the document is an object
// and the member has the type asked for, else the default. Never a JSON
// library exception (nlohmann's value() throws type_error on a wrong type).
#pragma once

#include <string>

#include "core/image_config.h"  // Json

namespace berth {

inline std::string string_member(const Json& object, const char* key, std::string fallback = "") {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

inline bool bool_member(const Json& object, const char* key, bool fallback = false) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace berth
