#include "runtime/container_commit.h"

#include <fcntl.h>

#include "archive/directory_tar.h"
#include "archive/layer_apply.h"
#include "core/byte_reader.h"
#include "core/config_changes.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "runtime/container_rootfs.h"
#include "store/registration.h"

namespace berth {

Digest commit_container(Store& store, const ContainerRecord& c, const CommitOptions& options) {
  // The image's config keys, as the container has them now; then the edits.
  Json config = Json::object();
  for (const char* key : {"Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
                          "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "Volumes",
                          "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal"})
    if (c.config["Config"].contains(key)) config[key] = c.config["Config"][key];
  for (const std::string& change : options.changes) apply_config_change(config, change);

  StagingDir staging = store.make_staging_dir("commit");
  std::filesystem::path tar_file = staging.path() / "layer.tar";
  {
    UniqueFd out = open_or_throw(tar_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    write_directory_tar(container_diff_dir(store, c.layer_id), out.get(), DirectoryTarMode::kOverlayLayer);
  }
  std::filesystem::path layer_dir = staging.path() / "layer";
  std::filesystem::create_directory(layer_dir);
  AppliedLayer applied;
  {
    UniqueFd in = open_or_throw(tar_file, O_RDONLY | O_CLOEXEC);
    FdReader reader(in.get(), tar_file.string());
    applied = apply_layer(reader, layer_dir, "the changes of container " + c.name);
  }

  ImageConfig parent = store.config_of(c.image_id);
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
  std::vector<Digest> diff_ids = parent.diff_ids;
  diff_ids.push_back(applied.diff_id);
  doc["rootfs"] = {{"type", "layers"}, {"diff_ids", Json::array()}};
  for (const Digest& d : diff_ids) doc["rootfs"]["diff_ids"].push_back(d.str());

  std::vector<Digest> chains = chain_ids(diff_ids);
  StagedLayer layer;
  layer.dir = layer_dir;
  layer.info.chain_id = chains.back();
  if (chains.size() > 1) layer.info.parent = chains[chains.size() - 2];
  describe_applied_layer(applied, &layer.info);
  layer.blob_file = tar_file;
  if (!layer.info.blob) std::filesystem::remove(tar_file);  // diff/ + tar-split describe it

  sync_filesystem(staging.path());
  Registration reg(store);
  reg.add_layer(layer);
  int64_t now = unix_now();
  Digest id = reg.add_image(doc.dump(), chains.back(), std::nullopt, now);
  if (options.tag) reg.tag(*options.tag, id, now);
  reg.commit();
  return id;
}

}  // namespace berth
