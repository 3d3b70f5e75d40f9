#include "store/image_inspect.h"

#include "core/reference.h"
#include "core/timestamp.h"

namespace berth {
namespace {

std::vector<std::string> familiar(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    ReferenceResult r = parse_normalized_named(n);
    out.push_back(r.ref ? r.ref->familiar_str() : n);
  }
  return out;
}

}  // namespace

std::vector<std::string> familiar_tags(Store& store, const Digest& id) {
  return familiar(store.images().tags_of(id));
}

std::vector<std::string> familiar_repo_digests(Store& store, const Digest& id) {
  return familiar(store.images().repo_digests_of(id));
}

Json docker_container_config(const Json& config) {
  const Json& c = config.is_object() ? config : Json::object();
  auto get = [&](const char* key, Json fallback) {
    auto it = c.find(key);
    return it == c.end() ? fallback : *it;
  };
  Json out = Json::object();
  out["Hostname"] = get("Hostname", "");
  out["Domainname"] = get("Domainname", "");
  out["User"] = get("User", "");
  out["AttachStdin"] = get("AttachStdin", false);
  out["AttachStdout"] = get("AttachStdout", false);
  out["AttachStderr"] = get("AttachStderr", false);
  if (c.contains("ExposedPorts") && !c["ExposedPorts"].empty()) out["ExposedPorts"] = c["ExposedPorts"];
  out["Tty"] = get("Tty", false);
  out["OpenStdin"] = get("OpenStdin", false);
  out["StdinOnce"] = get("StdinOnce", false);
  out["Env"] = get("Env", nullptr);
  out["Cmd"] = get("Cmd", nullptr);
  if (c.contains("Healthcheck") && !c["Healthcheck"].is_null()) out["Healthcheck"] = c["Healthcheck"];
  if (c.value("ArgsEscaped", false)) out["ArgsEscaped"] = true;
  out["Image"] = get("Image", "");
  out["Volumes"] = get("Volumes", nullptr);
  out["WorkingDir"] = get("WorkingDir", "");
  out["Entrypoint"] = get("Entrypoint", nullptr);
  if (c.value("NetworkDisabled", false)) out["NetworkDisabled"] = true;
  if (!c.value("MacAddress", std::string()).empty()) out["MacAddress"] = c["MacAddress"];
  out["OnBuild"] = get("OnBuild", nullptr);
  out["Labels"] = get("Labels", nullptr);
  if (!c.value("StopSignal", std::string()).empty()) out["StopSignal"] = c["StopSignal"];
  if (c.contains("StopTimeout") && !c["StopTimeout"].is_null()) out["StopTimeout"] = c["StopTimeout"];
  if (c.contains("Shell") && !c["Shell"].is_null() && !c["Shell"].empty()) out["Shell"] = c["Shell"];
  return out;
}

Json inspect_image(Store& store, const Digest& id) {
  std::optional<ImageRecord> image = store.images().get(id);
  ImageConfig config = store.config_of(id);
  const Json& doc = config.doc;
  Json out = Json::object();
  out["Id"] = id.str();
  out["RepoTags"] = familiar_tags(store, id);
  out["RepoDigests"] = familiar_repo_digests(store, id);
  out["Parent"] = doc.value("parent", "");
  out["Comment"] = doc.value("comment", "");
  out["Created"] = doc.value("created", "0001-01-01T00:00:00Z");
  out["Container"] = doc.value("container", "");
  out["ContainerConfig"] = docker_container_config(doc.value("container_config", Json::object()));
  out["DockerVersion"] = doc.value("docker_version", "");
  out["Author"] = doc.value("author", "");
  out["Config"] = docker_container_config(doc.value("config", Json::object()));
  out["Architecture"] = doc.value("architecture", "");
  if (!doc.value("variant", std::string()).empty()) out["Variant"] = doc["variant"];
  out["Os"] = doc.value("os", "");
  if (!doc.value("os.version", std::string()).empty()) out["OsVersion"] = doc["os.version"];
  int64_t size = store.image_size(*image);
  out["Size"] = size;
  out["VirtualSize"] = size;

  Json data = Json::object();
  if (image->top_layer) {
    std::vector<LayerInfo> stack = store.layers().stack(*image->top_layer);
    std::string lower;
    for (auto it = stack.rbegin() + 1; it != stack.rend(); ++it)
      lower += (lower.empty() ? "" : ":") + store.layers().diff_dir(*it).string();
    const LayerInfo& top = stack.back();
    if (!lower.empty()) data["LowerDir"] = lower;
    data["MergedDir"] = (store.layers().layer_dir(top) / "merged").string();
    data["UpperDir"] = store.layers().diff_dir(top).string();
    data["WorkDir"] = (store.layers().layer_dir(top) / "work").string();
  }
  out["GraphDriver"] = {{"Data", data}, {"Name", "overlay2"}};
  Json layers = Json::array();
  for (const Digest& d : config.diff_ids) layers.push_back(d.str());
  out["RootFS"] = {{"Type", "layers"}, {"Layers", layers}};
  out["Metadata"] = {{"LastTagTime", image->last_tag_time ? rfc3339_nano(image->last_tag_time) : "0001-01-01T00:00:00Z"}};
  return out;
}

}  // namespace berth
