#include "runtime/container_commit.h"

#include <fcntl.h>

#include "image/directory_layer.h"
#include "image/layer_apply.h"
#include "dockerfile/config_changes.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "runtime/container_rootfs.h"

namespace berth {

Digest commit_container(Store& store, const ContainerRecord& c, const CommitOptions& options) {
  // The image's config keys, as the container has them now; then the edits.
  Json config = Json::object();
  for (const char* key : {"Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
                          "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "Volumes",
                          "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal"})
    if (c.config["Config"].contains(key)) config[key] = c.config["Config"][key];
  for (const std::string& change : options.changes) apply_config_change(config, change);

  ImageConfig parent = store.config_of(c.image_id);
  StagingDir staging = store.make_staging_dir("commit");
  DirectoryLayer layer = layer_from_directory(staging, container_diff_dir(store, c.layer_id), parent.diff_ids,
                                              "the changes of container " + c.name);
  Json doc = parent.doc;
  std::string created = rfc3339_nano(now_unix_nanos());
  std::string command = c.config.value("Path", "");
  for (const Json& a : c.config.value("Args", Json::array())) command += " " + a.get<std::string>();
  doc["config"] = config;
  doc["container"] = c.id;
  doc["container_config"] = c.config["Config"];
  doc["created"] = created;
  if (!options.author.empty()) doc["author"] = options.author;
  Json entry = {{"created", created}, {"created_by", command}};
  if (!options.author.empty()) entry["author"] = options.author;
  if (!options.message.empty()) entry["comment"] = options.message;
  if (!doc.contains("history") || !doc["history"].is_array()) doc["history"] = Json::array();
  doc["history"].push_back(entry);
  doc["rootfs"] = {{"type", "layers"}, {"diff_ids", Json::array()}};
  for (const Digest& d : layer.diff_ids) doc["rootfs"]["diff_ids"].push_back(d.str());

  return register_layer_image(store, staging, layer.staged, doc.dump(), options.tag);
}

}  // namespace berth
