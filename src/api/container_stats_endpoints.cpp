#include "api/container_stats_endpoints.h"

#include <chrono>
#include <sstream>
#include <thread>

#include "api/api_params.h"
#include "core/error.h"
#include "engine/container_exec.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_stats.h"

namespace berth {
namespace {

using Root = std::filesystem::path;

Reply top(const Root& root, const ApiRequest& request) {
  std::vector<std::string> ps_args;
  std::istringstream words(query_string(request, "ps_args"));
  for (std::string w; words >> w;) ps_args.push_back(w);
  Store store(root);
  ProcessTable table = container_top(store, request.params.at("id"), ps_args);
  return json_response(200, Json{{"Processes", table.processes}, {"Titles", table.titles}});
}

// The container's record now, or nothing once it is removed.
std::optional<ContainerRecord> current(const Root& root, const std::string& id) {
  Store store(root);
  std::optional<ContainerRecord> c = store.containers().get(id);
  if (c) c = refresh_container(store, *c);
  return c;
}

// As moby: stream=true sends a sample a second, the first without a previous
// one; stream=false sends one, after a second sample gave it a previous one
// (so CPU % is not 0), unless one-shot; a stopped container gets the zero
// sample at once.
Reply stats(const Root& root, const ApiRequest& request) {
  bool stream = query_bool(request, "stream", true), one_shot = query_bool(request, "one-shot");
  if (stream && one_shot) throw invalid_argument("cannot have stream=true and one-shot=true");
  std::string id = Store(root).containers().find(request.params.at("id")).id;
  Reply r;
  r.headers["Content-Type"] = "application/json";
  r.stream = [root, id, stream, one_shot](ResponseStream& out) {
    out.start();
    Json previous = nullptr;
    bool primed = one_shot;
    for (;;) {
      std::optional<ContainerRecord> c = current(root, id);
      if (!c) return;
      Json sample = container_stats_sample(*c);
      if (!stream && (primed || c->state != "running")) {
        out.write(json_document(stats_with_previous(sample, previous)));
        return;
      }
      if (stream) out.write(json_document(stats_with_previous(sample, previous)));
      previous = sample;
      primed = true;
      for (int i = 0; i < 10 && !out.peer_closed(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (out.peer_closed()) return;
    }
  };
  return r;
}

}  // namespace

void add_container_stats_endpoints(ApiRouter& router, const Root& root) {
  router.add("GET", "/containers/{id}/top", [root](const ApiRequest& r) { return top(root, r); });
  router.add("GET", "/containers/{id}/stats", [root](const ApiRequest& r) { return stats(root, r); });
}

}  // namespace berth
