#include "api/system_endpoints.h"

#include <map>

#include "api/summaries.h"
#include "engine/container_list.h"
#include "engine/image_list.h"
#include "engine/system.h"
#include "engine/system_info.h"
#include "engine/volumes.h"

namespace berth {

namespace {

// The CLI learns the server's API version and builder from these headers.
Reply ping(const ApiRequest&) {
  Reply r;
  r.headers["Content-Type"] = "text/plain; charset=utf-8";
  r.headers["Cache-Control"] = "no-cache, no-store, must-revalidate";
  r.headers["Pragma"] = "no-cache";
  r.headers["Builder-Version"] = "1";
  r.body = "OK";
  return r;
}

Reply version(const ApiRequest&) { return json_response(200, engine_version()); }

Reply info(const std::filesystem::path& root, const ApiRequest&) {
  Store store(root);
  return json_response(200, engine_info(store));
}

// moby's types.DiskUsage: the items the docker CLI sums into `system df`'s
// rows. SharedSize is set so that its sum gives the engine's reclaimable
// bytes (engine/system.h: an image's attributed size).
Reply system_df(const std::filesystem::path& root, const ApiRequest&) {
  Store store(root);
  DiskUsage u = disk_usage(store);
  std::map<Digest, const ImageUsage*> image_usage;
  for (const ImageUsage& i : u.image_items) image_usage[i.id] = &i;
  Json images = Json::array();
  for (const ListedImage& listed : list_images(store, ImageFilters{}, false)) {
    Json s = image_summary(listed);
    auto it = image_usage.find(listed.facts.record.id);
    if (it != image_usage.end()) {
      s["Containers"] = it->second->containers;
      s["SharedSize"] = it->second->size - it->second->attributed;
    }
    images.push_back(s);
  }
  std::map<std::string, const ContainerUsage*> container_usage;
  for (const ContainerUsage& c : u.container_items) container_usage[c.id] = &c;
  Json containers = Json::array();
  for (const ContainerRecord& c : list_containers(store, true, {})) {
    Json s = container_summary(store, c);
    auto it = container_usage.find(c.id);
    s["SizeRw"] = it == container_usage.end() ? 0 : it->second->size;
    s["SizeRootFs"] = 0;
    containers.push_back(s);
  }
  std::map<std::string, const VolumeUsage*> volume_usage;
  for (const VolumeUsage& v : u.volume_items) volume_usage[v.name] = &v;
  Json volumes = Json::array();
  for (const Volume& v : list_volumes(store)) {
    Json s = inspect_volume(v);
    auto it = volume_usage.find(v.name);
    s["UsageData"] = {{"RefCount", it == volume_usage.end() ? 0 : it->second->containers},
                      {"Size", it == volume_usage.end() ? 0 : it->second->size}};
    volumes.push_back(s);
  }
  Json cache = Json::array();
  for (const CacheUsage& c : u.cache_items)
    cache.push_back({{"ID", c.id}, {"Parent", ""}, {"Type", c.cache_mount ? "exec.cachemount" : "regular"},
                     {"Description", c.cache_mount ? "a RUN --mount=type=cache directory" : "a build step"},
                     {"InUse", false}, {"Shared", false}, {"Size", c.size}, {"CreatedAt", "0001-01-01T00:00:00Z"},
                     {"LastUsedAt", nullptr}, {"UsageCount", 0}});
  return json_response(200, Json{{"LayersSize", u.images.size}, {"Images", images}, {"Containers", containers},
                                 {"Volumes", volumes}, {"BuildCache", cache}, {"BuilderSize", u.build_cache.size}});
}

}  // namespace

void add_system_endpoints(ApiRouter& router, const std::filesystem::path& root) {
  router.add("GET", "/_ping", ping);
  router.add("GET", "/version", version);
  router.add("GET", "/info", [root](const ApiRequest& r) { return info(root, r); });
  router.add("GET", "/system/df", [root](const ApiRequest& r) { return system_df(root, r); });
}

}  // namespace berth
