#include "api/network_endpoints.h"

#include "api/api_params.h"
#include "api/body_members.h"
#include "core/error.h"
#include "engine/networks.h"

namespace berth {

namespace {

using Root = std::filesystem::path;

Reply list(const Root& root, const ApiRequest& request) {
  Store store(root);
  Json out = Json::array();
  for (const NetworkRecord& n : list_networks(store, filter_specs(request))) out.push_back(inspect_network(store, n));
  return json_response(200, out);
}

Reply inspect(const Root& root, const ApiRequest& request) {
  Store store(root);
  return json_response(200, inspect_network(store, find_network(store, request.params.at("id"))));
}

// moby's NetworkCreateRequest and IPAM; only the first IPAM.Config entry is
// used (berth makes IPv4 networks only).
Reply create(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  NetworkCreateOptions o;
  o.driver = body_string(body, "Driver", "bridge");
  if (o.driver.empty()) o.driver = "bridge";
  o.bridge.name = body_string(body, "Name");
  if (o.bridge.name.empty()) throw invalid_argument("network name must not be empty");
  if (body_bool(body, "EnableIPv6")) throw invalid_argument("IPv6 networks are not supported by berth");
  o.bridge.internal = body_bool(body, "Internal");
  o.bridge.labels = body_string_map(body, "Labels");
  o.bridge.options = body_string_map(body, "Options");
  const Json& ipam = body_object(body, "IPAM");
  std::string driver = body_string(ipam, "Driver", "default");
  if (!driver.empty() && driver != "default") throw not_found("plugin \"" + driver + "\" not found");
  const Json& configs = body_array(ipam, "Config");
  for (const Json& config : configs)
    if (!config.is_object()) throw invalid_argument("IPAM.Config entries must be objects");
  if (!configs.empty()) {
    o.bridge.subnet = body_string(configs[0], "Subnet");
    o.bridge.gateway = body_string(configs[0], "Gateway");
    o.bridge.ip_range = body_string(configs[0], "IPRange");
  }
  Store store(root);
  NetworkRecord n = create_network(store, o);
  return json_response(201, Json{{"Id", n.id}, {"Warning", ""}});
}

Reply connect(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  const Json& endpoint = body_object(body, "EndpointConfig");
  std::vector<std::string> aliases = body_strings(endpoint, "Aliases");
  std::string ip = body_string(body_object(endpoint, "IPAMConfig"), "IPv4Address");
  Store store(root);
  connect_network(store, request.params.at("id"), body_string(body, "Container"), aliases, ip);
  return json_response(200, std::string());
}

Reply disconnect(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  Store store(root);
  disconnect_network(store, request.params.at("id"), body_string(body, "Container"));
  return json_response(200, std::string());
}

Reply remove(const Root& root, const ApiRequest& request) {
  Store store(root);
  remove_network(store, request.params.at("id"));
  return no_content();
}

Reply prune(const Root& root, const ApiRequest&) {
  Store store(root);
  std::vector<std::string> names = prune_networks(store);
  return json_response(200, Json{{"NetworksDeleted", names.empty() ? Json(nullptr) : Json(names)}});
}

}  // namespace

void add_network_endpoints(ApiRouter& router, const Root& root) {
  router.add("GET", "/networks", [root](const ApiRequest& r) { return list(root, r); });
  router.add("POST", "/networks/create", [root](const ApiRequest& r) { return create(root, r); });
  router.add("POST", "/networks/prune", [root](const ApiRequest& r) { return prune(root, r); });
  router.add("GET", "/networks/{id}", [root](const ApiRequest& r) { return inspect(root, r); });
  router.add("DELETE", "/networks/{id}", [root](const ApiRequest& r) { return remove(root, r); });
  router.add("POST", "/networks/{id}/connect", [root](const ApiRequest& r) { return connect(root, r); });
  router.add("POST", "/networks/{id}/disconnect", [root](const ApiRequest& r) { return disconnect(root, r); });
}

}  // namespace berth
