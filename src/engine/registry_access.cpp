#include "engine/registry_access.h"

#include "core/error.h"
#include "core/image_config.h"
#include "engine/berth_config.h"
#include "registry/registry_endpoint.h"

namespace berth {

std::vector<std::string> insecure_registries(const std::vector<std::string>& from_flags) {
  std::vector<std::string> out = from_flags;
  Json j = read_berth_config();
  if (j.contains("insecure-registries") && j["insecure-registries"].is_array())
    for (const Json& r : j["insecure-registries"])
      if (r.is_string()) out.push_back(r.get<std::string>());
  return out;
}

std::unique_ptr<RegistryClient> registry_client(const std::string& domain, const std::vector<std::string>& insecure,
                                                std::optional<Credentials> credentials) {
  return std::make_unique<RegistryClient>(endpoint_for(domain, insecure), std::move(credentials));
}

std::string credentials_key_of(const std::string& domain, const std::vector<std::string>& insecure) {
  return endpoint_for(domain, insecure).creds_key;
}

std::string credentials_key(const std::string& server) {
  std::string s = server;
  for (const char* scheme : {"https://", "http://"})
    if (s.starts_with(scheme)) s = s.substr(std::string(scheme).size());
  s = s.substr(0, s.find('/'));
  if (s.empty() || s == "docker.io" || s == "index.docker.io" || s == "registry-1.docker.io")
    return "https://index.docker.io/v1/";
  return s;
}

std::string domain_of_credentials_key(const std::string& key) {
  return key == "https://index.docker.io/v1/" ? "docker.io" : key;
}

void check_registry_login(const std::string& server, const Credentials& credentials,
                          const std::vector<std::string>& insecure) {
  RegistryClient client(endpoint_for(domain_of_credentials_key(credentials_key(server)), insecure), credentials);
  client.check_login();
}

}  // namespace berth
