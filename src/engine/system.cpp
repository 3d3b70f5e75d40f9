#include "engine/system.h"

#include <filesystem>
#include <map>
#include <set>

#include "builder/run_step.h"
#include "core/fs.h"
#include "engine/background_sync.h"
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

UsageRow image_usage(Store& store, const std::map<Digest, int>& containers_of, std::vector<ImageUsage>& items) {
  UsageRow row;
  for (const LayerInfo& l : store.layers().all()) row.size += l.size;
  std::set<Digest> used_layers;
  int64_t used_size = 0;
  for (const ImageRecord& img : store.images().list()) {
    bool intermediate = store.images().tags_of(img.id).empty() && store.images().repo_digests_of(img.id).empty() &&
                        !store.images().children_of(img.id).empty();
    auto used = containers_of.find(img.id);
    if (!intermediate) ++row.total;
    if (used != containers_of.end()) ++row.active;
    ImageUsage item{.id = img.id, .size = store.image_size(img), .attributed = 0,
                    .containers = used == containers_of.end() ? 0 : used->second};
    if (used != containers_of.end() && img.top_layer)
      for (const LayerInfo& l : store.layers().stack(*img.top_layer))
        if (used_layers.insert(l.chain_id).second) item.attributed += l.size;
    used_size += item.attributed;
    if (!intermediate) items.push_back(item);
  }
  row.reclaimable = row.size - used_size;
  return row;
}

}  // namespace

DiskUsage disk_usage(Store& store) {
  std::vector<ContainerRecord> containers;
  for (const ContainerRecord& c : store.containers().all()) containers.push_back(refresh_container(store, c));
  std::map<Digest, int> containers_of_image;
  std::map<std::string, int> containers_of_volume;
  for (const ContainerRecord& c : containers) {
    ++containers_of_image[c.image_id];
    for (const Json& m : c.config.value("HostConfig", Json::object()).value("Mounts", Json::array()))
      if (m.value("Type", "") == "volume") ++containers_of_volume[m.value("Name", "")];
  }
  DiskUsage u;
  u.images = image_usage(store, containers_of_image, u.image_items);
  for (const ContainerRecord& c : containers) {
    int64_t bytes = bytes_below(store.layers().overlay_dir() / c.layer_id / "diff");
    bool running = c.state == "running";
    ++u.containers.total;
    u.containers.size += bytes;
    if (running) ++u.containers.active;
    else u.containers.reclaimable += bytes;
    u.container_items.push_back({.id = c.id, .size = bytes, .running = running});
  }
  for_each_entry(store.root() / "volumes", [&](const std::filesystem::path& volume) {
    int64_t bytes = bytes_below(volume / "_data");
    std::string name = volume.filename().string();
    int users = containers_of_volume.contains(name) ? containers_of_volume[name] : 0;
    ++u.volumes.total;
    u.volumes.size += bytes;
    if (users > 0) ++u.volumes.active;
    else u.volumes.reclaimable += bytes;
    u.volume_items.push_back({.name = name, .size = bytes, .containers = users});
  });
  for (const std::string& key : store.images().cached_step_keys()) u.cache_items.push_back({.id = key});
  u.build_cache.total = static_cast<int64_t>(u.cache_items.size());
  for_each_entry(store.root() / "build-cache", [&](const std::filesystem::path& dir) {
    int64_t bytes = bytes_below(dir);
    ++u.build_cache.total;
    u.build_cache.size += bytes;
    u.cache_items.push_back({.id = dir.filename().string(), .size = bytes, .cache_mount = true});
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
  sync_and_clear_marks(store);
  r.store = check_store(store);
  return r;
}

}  // namespace berth
