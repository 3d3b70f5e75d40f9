#include "core/image_config.h"

#include <algorithm>

#include "core/error.h"
#include "core/json_members.h"

namespace berth {
namespace {

// The types Docker's image spec gives the fields berth reads (Go unmarshals
// into typed structs: a wrong type fails `docker load` and `docker pull`).
// Absent and null are fine; unknown fields are kept as they are.
class FieldTypes {
 public:
  // `what` leads each error: "<file>: image config", "container config".
  explicit FieldTypes(const std::string& what) : what_(what) {}

  void check_container_config(const Json& c) { container_config(c, ""); }

  void check(const Json& doc) {
    strings(doc, "", {"created", "author", "architecture", "os", "variant", "os.version", "comment", "container",
                      "docker_version", "parent", "id"});
    string_arrays(doc, "", {"os.features"});
    for (const char* key : {"config", "container_config"})
      if (present(doc, key)) container_config(object(doc, "", key), std::string(key) + ".");
    if (!present(doc, "history")) return;
    const Json& history = doc["history"];
    if (!history.is_array()) fail("history is not an array");
    for (const Json& h : history) {
      if (!h.is_object()) fail("a history entry is not an object");
      strings(h, "history[].", {"created", "author", "created_by", "comment"});
      if (present(h, "empty_layer") && !h["empty_layer"].is_boolean()) fail("history[].empty_layer is not a boolean");
    }
  }

 private:
  static bool present(const Json& j, const char* key) { return j.contains(key) && !j[key].is_null(); }
  [[noreturn]] void fail(const std::string& why) const { throw invalid_argument(what_ + ": " + why); }

  const Json& object(const Json& j, const std::string& at, const char* key) {
    if (!j[key].is_object()) fail(at + key + " is not an object");
    return j[key];
  }
  void strings(const Json& j, const std::string& at, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
      if (present(j, k) && !j[k].is_string()) fail(at + k + " is not a string");
  }
  void string_arrays(const Json& j, const std::string& at, std::initializer_list<const char*> keys, bool or_string = false) {
    for (const char* k : keys) {
      if (!present(j, k) || (or_string && j[k].is_string())) continue;
      if (!j[k].is_array() || !std::all_of(j[k].begin(), j[k].end(), [](const Json& v) { return v.is_string(); }))
        fail(at + k + " is not a list of strings");
    }
  }
  void container_config(const Json& c, const std::string& at) {
    strings(c, at, {"User", "WorkingDir", "Hostname", "Domainname", "Image", "MacAddress", "StopSignal"});
    string_arrays(c, at, {"Env", "OnBuild"});
    string_arrays(c, at, {"Cmd", "Entrypoint", "Shell"}, /*or_string=*/true);  // Docker's strslice takes either
    for (const char* k : {"ExposedPorts", "Volumes", "Healthcheck", "Labels"})
      if (present(c, k)) object(c, at, k);
    if (present(c, "Healthcheck")) {
      const Json& h = c["Healthcheck"];
      string_arrays(h, at + "Healthcheck.", {"Test"});
      for (const char* k : {"Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})  // durations are ns
        if (present(h, k) && !h[k].is_number_integer()) fail(at + "Healthcheck." + k + " is not an integer");
    }
    if (present(c, "Labels"))
      for (const auto& [name, value] : c["Labels"].items())
        if (!value.is_string()) fail(at + "Labels." + name + " is not a string");
    for (const char* k : {"Tty", "OpenStdin", "StdinOnce", "AttachStdin", "AttachStdout", "AttachStderr", "ArgsEscaped",
                          "NetworkDisabled"})
      if (present(c, k) && !c[k].is_boolean()) fail(at + k + " is not a boolean");
  }

  std::string what_;
};

}  // namespace

void check_container_config_types(const Json& config) { FieldTypes("container config").check_container_config(config); }

ImageConfig ImageConfig::parse(std::string raw, const std::string& what) {
  ImageConfig c;
  c.doc = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (c.doc.is_discarded() || !c.doc.is_object()) throw Error(what + ": image config is not a JSON object");
  const Json* rootfs = c.doc.contains("rootfs") ? &c.doc["rootfs"] : nullptr;
  if (!rootfs || !rootfs->is_object() || string_member(*rootfs, "type") != "layers")
    throw Error(what + ": image config has no rootfs of type \"layers\"");
  if (rootfs->contains("diff_ids") && !(*rootfs)["diff_ids"].is_null()) {
    const Json& ids = (*rootfs)["diff_ids"];
    if (!ids.is_array()) throw Error(what + ": rootfs.diff_ids is not an array");
    for (const Json& id : ids) {
      Digest d;
      if (!id.is_string() || !Digest::try_parse(id.get<std::string>(), &d))
        throw Error(what + ": invalid diff ID " + id.dump());
      c.diff_ids.push_back(d);
    }
  }
  FieldTypes(what + ": image config").check(c.doc);
  c.raw = std::move(raw);
  return c;
}

std::string ImageConfig::str(const char* key) const { return string_member(doc, key); }

std::vector<Digest> chain_ids(const std::vector<Digest>& diff_ids) {
  std::vector<Digest> out;
  for (const Digest& d : diff_ids)
    out.push_back(out.empty() ? d : Digest::of(out.back().str() + " " + d.str()));
  return out;
}

}  // namespace berth
