#include "api/summaries.h"

#include "core/reference.h"
#include "engine/container_list.h"
#include "runtime/container_inspect.h"
#include "runtime/container_pause.h"
#include "runtime/port_mapping.h"

namespace berth {

std::vector<std::string> familiar(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) out.push_back(parse_normalized_named_or_throw(n).familiar_str());
  return out;
}

Json image_summary(const ListedImage& image) {
  const ImageFacts& f = image.facts;
  Json tags = familiar(image.tags), digests = familiar(image.repo_digests);
  // moby names an image that has neither this way; the CLI shows <none>.
  if (tags.empty() && digests.empty()) {
    tags = {"<none>:<none>"};
    digests = {"<none>@<none>"};
  }
  Json s = Json::object();
  s["Containers"] = -1;
  s["Created"] = f.created;
  s["Id"] = f.record.id.str();
  s["Labels"] = f.labels.is_object() ? f.labels : Json(nullptr);
  s["ParentId"] = f.record.parent ? f.record.parent->str() : "";
  s["RepoDigests"] = digests;
  s["RepoTags"] = tags;
  s["SharedSize"] = -1;
  s["Size"] = f.size;
  s["VirtualSize"] = f.size;
  return s;
}

// moby's types.Container, what `docker ps` reads.
Json container_summary(Store& store, const ContainerRecord& c) {
  std::string command = c.config.value("Path", "");
  for (const Json& a : c.config.value("Args", Json::array())) command += " " + a.get<std::string>();
  Json ports = Json::array();
  for (const PortMapping& m : port_mappings(c.config["HostConfig"].value("PortBindings", Json::object())))
    ports.push_back({{"IP", m.host_ip.empty() ? "0.0.0.0" : m.host_ip}, {"PrivatePort", m.container_port},
                     {"PublicPort", m.host_port}, {"Type", m.proto}});
  Json labels = c.config["Config"].value("Labels", Json::object());
  Json s = Json::object();
  s["Id"] = c.id;
  s["Names"] = {"/" + c.name};
  s["Image"] = c.image;
  s["ImageID"] = c.image_id.str();
  s["Command"] = command;
  s["Created"] = c.created / 1000000000;
  s["Ports"] = ports;
  s["Labels"] = labels.is_object() ? labels : Json::object();
  s["State"] = docker_state(c);
  s["Status"] = container_status(c);
  s["HostConfig"] = {{"NetworkMode", c.config["HostConfig"].value("NetworkMode", "default")}};
  s["NetworkSettings"] = {{"Networks", container_endpoints(store, c)}};
  s["Mounts"] = container_mounts(c);
  return s;
}

}  // namespace berth
