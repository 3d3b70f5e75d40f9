#include "engine/system.h"

#include <filesystem>
#include <set>

#include "builder/run_step.h"
#include "core/fs.h"
#include "network/bridge_network.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_network.h"

namespace berth {
namespace {

// Every entry of a directory with the bytes below it ("" and 0 when there is none).
template <typename Fn>
void for_each_entry(const std::filesystem::path& dir, Fn fn) {
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::end(it); it.increment(ec))
    fn(it->path());
}

UsageRow image_usage(Store& store, const std::set<Digest>& used_images) {
  UsageRow row;
  for (const ImageRecord& img : store.images().list()) {
    bool intermediate = store.images().tags_of(img.id).empty() && store.images().repo_digests_of(img.id).empty() &&
                        !store.images().children_of(img.id).empty();
    if (!intermediate) ++row.total;
    if (used_images.contains(img.id)) ++row.active;
  }
  for (const LayerInfo& l : store.layers().all()) row.size += l.size;
  std::set<Digest> used_layers;
  int64_t used_size = 0;
  for (const Digest& id : used_images) {
    std::optional<ImageRecord> img = store.images().get(id);
    if (!img || !img->top_layer) continue;
    for (const LayerInfo& l : store.layers().stack(*img->top_layer))
      if (used_layers.insert(l.chain_id).second) used_size += l.size;
  }
  row.reclaimable = row.size - used_size;
  return row;
}

}  // namespace

DiskUsage disk_usage(Store& store) {
  std::vector<ContainerRecord> containers;
  for (const ContainerRecord& c : store.containers().all()) containers.push_back(refresh_container(store, c));
  std::set<Digest> used_images;
  std::set<std::string> used_volumes;
  for (const ContainerRecord& c : containers) {
    used_images.insert(c.image_id);
    for (const Json& m : c.config.value("HostConfig", Json::object()).value("Mounts", Json::array()))
      if (m.value("Type", "") == "volume") used_volumes.insert(m.value("Name", ""));
  }
  DiskUsage u;
  u.images = image_usage(store, used_images);
  for (const ContainerRecord& c : containers) {
    int64_t bytes = bytes_below(store.layers().overlay_dir() / c.layer_id / "diff");
    ++u.containers.total;
    u.containers.size += bytes;
    if (c.state == "running") ++u.containers.active;
    else u.containers.reclaimable += bytes;
  }
  u.volumes.active = static_cast<int64_t>(used_volumes.size());
  for_each_entry(store.root() / "volumes", [&](const std::filesystem::path& volume) {
    int64_t bytes = bytes_below(volume / "_data");
    ++u.volumes.total;
    u.volumes.size += bytes;
    if (!used_volumes.contains(volume.filename().string())) u.volumes.reclaimable += bytes;
  });
  u.build_cache.total = store.images().cached_steps();
  for_each_entry(store.root() / "build-cache", [&](const std::filesystem::path& dir) {
    ++u.build_cache.total;
    u.build_cache.size += bytes_below(dir);
  });
  u.build_cache.reclaimable = u.build_cache.size;
  return u;
}

SystemCheckReport system_check(Store& store) {
  SystemCheckReport r;
  r.removed_build_steps = remove_leftover_build_steps(store);
  for (const ContainerRecord& stored : store.containers().all()) {
    ContainerRecord c = refresh_container(store, stored);
    if (c.state == "running") continue;
    if (stored.state == "running") r.released_containers.push_back(c.name);
    detach_container_networks(store, c.id);
  }
  r.rewrote_firewall = repair_network_firewall(store);
  r.store = check_store(store);
  return r;
}

}  // namespace berth
