#include "api/registry_auth_headers.h"

#include "core/base64.h"
#include "core/error.h"
#include "engine/registry_access.h"

namespace berth {

namespace {

// Base64url, padded or not, of a JSON object; `header` names it in the error.
Json decoded_header(const ApiRequest& request, const std::string& header, const char* name) {
  std::string text = request.http.header(header);
  if (text.empty()) return Json();
  for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (text.size() % 4) text += '=';
  std::optional<std::string> decoded = base64_decode(text);
  Json doc = decoded ? Json::parse(*decoded, nullptr, false) : Json();
  if (!doc.is_object()) throw invalid_argument(std::string("invalid ") + name + " header");
  return doc;
}

}  // namespace

std::optional<Credentials> credentials_of(const Json& auth) {
  std::string user = auth.value("username", ""), secret = auth.value("password", "");
  if (std::string token = auth.value("identitytoken", ""); !token.empty()) secret = token;
  if (user.empty() && secret.empty()) return std::nullopt;
  return Credentials{user, secret};
}

std::optional<Credentials> registry_auth(const ApiRequest& request) {
  Json auth = decoded_header(request, "x-registry-auth", "X-Registry-Auth");
  if (auth.is_null()) return std::nullopt;
  return credentials_of(auth);
}

RegistryCredentials registry_config(const ApiRequest& request) {
  RegistryCredentials out;
  Json configs = decoded_header(request, "x-registry-config", "X-Registry-Config");
  if (configs.is_null()) return out;
  for (const auto& [server, auth] : configs.items()) {
    if (!auth.is_object()) continue;
    if (std::optional<Credentials> c = credentials_of(auth))
      out[domain_of_credentials_key(credentials_key(server))] = *c;
  }
  return out;
}

}  // namespace berth
