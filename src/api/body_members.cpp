#include "api/body_members.h"

#include "core/error.h"

namespace berth {

namespace {

// The member, or nullptr when it is absent or null.
const Json* member(const Json& parent, const char* key) {
  auto it = parent.find(key);
  return it == parent.end() || it->is_null() ? nullptr : &*it;
}

[[noreturn]] void wrong_type(const char* key, const char* type) {
  throw invalid_argument(std::string(key) + " must be " + type);
}

}  // namespace

const Json& body_object(const Json& parent, const char* key) {
  static const Json empty = Json::object();
  const Json* m = member(parent, key);
  if (!m) return empty;
  if (!m->is_object()) wrong_type(key, "an object");
  return *m;
}

const Json& body_array(const Json& parent, const char* key) {
  static const Json empty = Json::array();
  const Json* m = member(parent, key);
  if (!m) return empty;
  if (!m->is_array()) wrong_type(key, "a list");
  return *m;
}

const Json& body_string_map(const Json& parent, const char* key) {
  const Json& m = body_object(parent, key);
  for (const auto& [name, value] : m.items())
    if (!value.is_string()) throw invalid_argument(std::string(key) + "." + name + " must be a string");
  return m;
}

std::vector<std::string> body_strings(const Json& parent, const char* key, bool or_string) {
  const Json* m = member(parent, key);
  if (!m) return {};
  if (or_string && m->is_string()) return {m->get<std::string>()};
  std::vector<std::string> out;
  if (!m->is_array()) wrong_type(key, "a list of strings");
  for (const Json& s : *m) {
    if (!s.is_string()) wrong_type(key, "a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::string body_string(const Json& parent, const char* key, const std::string& fallback) {
  const Json* m = member(parent, key);
  if (!m) return fallback;
  if (!m->is_string()) wrong_type(key, "a string");
  return m->get<std::string>();
}

bool body_bool(const Json& parent, const char* key) {
  const Json* m = member(parent, key);
  if (!m) return false;
  if (!m->is_boolean()) wrong_type(key, "a boolean");
  return m->get<bool>();
}

int64_t body_int(const Json& parent, const char* key) {
  const Json* m = member(parent, key);
  if (!m) return 0;
  if (!m->is_number_integer()) wrong_type(key, "an integer");
  return m->get<int64_t>();
}

}  // namespace berth
