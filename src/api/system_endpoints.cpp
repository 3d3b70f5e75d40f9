#include "api/system_endpoints.h"

#include <map>

#include "api/api_params.h"
#include "api/summaries.h"
#include "core/go_json.h"
#include "core/number.h"
#include "engine/events.h"
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

// since/until as the CLI sends them: unix seconds with a fraction ("1700000000.000000001").
std::optional<int64_t> unix_time_param(const ApiRequest& request, const std::string& name) {
  std::string text = query_string(request, name);
  if (text.empty()) return std::nullopt;
  size_t dot = text.find('.');
  std::optional<int64_t> secs = try_parse_int(text.substr(0, dot));
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  frac.resize(9, '0');
  std::optional<int64_t> nanos = try_parse_int(frac);
  if (!secs || !nanos) throw invalid_argument("invalid " + name + " time: " + text);
  return *secs * 1000000000 + *nanos;
}

// Headers at once (a dev container waits on the stream for `start`), then one
// JSON message per event; without until, on until the client goes.
Reply events(const std::filesystem::path& root, const ApiRequest& request) {
  EventQuery q{.since_ns = unix_time_param(request, "since"), .until_ns = unix_time_param(request, "until"),
               .filters = filter_specs(request)};
  Reply r;
  r.headers["Content-Type"] = "application/json";
  r.stream = [root, q](ResponseStream& out) {
    out.start();
    Store store(root);
    stream_events(store, q, [&](const Json& e) {
      out.write(json_document(e));
    }, [&] { return out.peer_closed(); });
  };
  return r;
}

}  // namespace

void add_system_endpoints(ApiRouter& router, const std::filesystem::path& root) {
  router.add("GET", "/_ping", ping);
  router.add("GET", "/version", version);
  router.add("GET", "/info", [root](const ApiRequest& r) { return info(root, r); });
  router.add("GET", "/system/df", [root](const ApiRequest& r) { return system_df(root, r); });
  router.add("GET", "/events", [root](const ApiRequest& r) { return events(root, r); });
}

}  // namespace berth
