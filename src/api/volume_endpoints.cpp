#include "api/volume_endpoints.h"

#include "api/api_params.h"
#include "api/body_members.h"
#include "core/error.h"
#include "engine/volumes.h"

namespace berth {

namespace {

using Root = std::filesystem::path;

Reply list(const Root& root, const ApiRequest& request) {
  Store store(root);
  Json volumes = Json::array();
  for (const Volume& v : list_volumes(store, filter_specs(request))) volumes.push_back(inspect_volume(v));
  return json_response(200, Json{{"Volumes", volumes}, {"Warnings", nullptr}});
}

Reply create(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  VolumeCreateOptions o;
  o.name = body_string(body, "Name");
  o.driver = body_string(body, "Driver", "local");
  o.labels = body_string_map(body, "Labels");
  o.options = body_string_map(body, "DriverOpts");
  Store store(root);
  return json_response(201, inspect_volume(create_volume(store, o)));
}

Reply inspect(const Root& root, const ApiRequest& request) {
  Store store(root);
  return json_response(200, inspect_volume(find_volume(store, request.params.at("name"))));
}

Reply remove(const Root& root, const ApiRequest& request) {
  Store store(root);
  try {
    remove_volume(store, request.params.at("name"));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found || !query_bool(request, "force")) throw;
  }
  return no_content();
}

Reply prune(const Root& root, const ApiRequest& request) {
  Store store(root);
  VolumePrune r = prune_volumes(store, filter_specs(request));
  return json_response(200, Json{{"VolumesDeleted", r.names.empty() ? Json(nullptr) : Json(r.names)},
                                 {"SpaceReclaimed", r.reclaimed}});
}

}  // namespace

void add_volume_endpoints(ApiRouter& router, const Root& root) {
  router.add("GET", "/volumes", [root](const ApiRequest& r) { return list(root, r); });
  router.add("POST", "/volumes/create", [root](const ApiRequest& r) { return create(root, r); });
  router.add("POST", "/volumes/prune", [root](const ApiRequest& r) { return prune(root, r); });
  router.add("GET", "/volumes/{name}", [root](const ApiRequest& r) { return inspect(root, r); });
  router.add("DELETE", "/volumes/{name}", [root](const ApiRequest& r) { return remove(root, r); });
}

}  // namespace berth
