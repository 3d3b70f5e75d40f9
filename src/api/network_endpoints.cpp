#include "api/network_endpoints.h"

#include "api/api_params.h"
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

Json labels_or_empty(const Json& body, const char* key) {
  Json v = body.value(key, Json::object());
  return v.is_object() ? v : Json::object();
}

Reply create(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  NetworkCreateOptions o;
  o.driver = body.value("Driver", "bridge");
  if (o.driver.empty()) o.driver = "bridge";
  o.bridge.name = body.value("Name", "");
  if (o.bridge.name.empty()) throw invalid_argument("network name must not be empty");
  if (body.value("EnableIPv6", false)) throw invalid_argument("IPv6 networks are not supported by berth");
  o.bridge.internal = body.value("Internal", false);
  o.bridge.labels = labels_or_empty(body, "Labels");
  o.bridge.options = labels_or_empty(body, "Options");
  Json ipam = body.value("IPAM", Json::object());
  if (ipam.is_object()) {
    std::string driver = ipam.value("Driver", "default");
    if (!driver.empty() && driver != "default") throw not_found("plugin \"" + driver + "\" not found");
    Json configs = ipam.value("Config", Json::array());
    if (configs.is_array() && !configs.empty() && configs[0].is_object()) {
      o.bridge.subnet = configs[0].value("Subnet", "");
      o.bridge.gateway = configs[0].value("Gateway", "");
      o.bridge.ip_range = configs[0].value("IPRange", "");
    }
  }
  Store store(root);
  NetworkRecord n = create_network(store, o);
  return json_response(201, Json{{"Id", n.id}, {"Warning", ""}});
}

Reply connect(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  Json endpoint = body.value("EndpointConfig", Json::object());
  if (!endpoint.is_object()) endpoint = Json::object();
  std::vector<std::string> aliases;
  for (const Json& a : endpoint.value("Aliases", Json::array()))
    if (a.is_string()) aliases.push_back(a.get<std::string>());
  Json ipam = endpoint.value("IPAMConfig", Json::object());
  std::string ip = ipam.is_object() ? ipam.value("IPv4Address", "") : "";
  Store store(root);
  connect_network(store, request.params.at("id"), body.value("Container", ""), aliases, ip);
  return json_response(200, std::string());
}

Reply disconnect(const Root& root, const ApiRequest& request) {
  Json body = json_body(request);
  Store store(root);
  disconnect_network(store, request.params.at("id"), body.value("Container", ""));
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
