#include "engine/registry_access.h"

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "core/fs.h"
#include "core/image_config.h"
#include "registry/registry_endpoint.h"

namespace berth {

std::vector<std::string> insecure_registries(const std::vector<std::string>& from_flags) {
  std::vector<std::string> out = from_flags;
  const char* env = std::getenv("BERTH_CONFIG");
  std::filesystem::path path = env && *env ? env : "/etc/berth/config.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return out;
  Json j = Json::parse(read_file(path), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(path.string() + ": not a JSON object");
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

}  // namespace berth
