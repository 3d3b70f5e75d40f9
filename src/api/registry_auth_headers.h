// Registry credentials as the Engine API's clients send them: X-Registry-Auth
// (one auth config, for a pull or push), X-Registry-Config (every registry's,
// keyed as config.json keys them, for the bases a build pulls) and /auth's body.
// The service never uses its own config.json for a client, as dockerd.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/api_router.h"
#include "registry/credentials.h"

namespace berth {

// An auth config's username and password, or identity token; nullopt when empty.
std::optional<Credentials> credentials_of(const Json& auth_config);

// X-Registry-Auth: base64url (padded or not) of one auth config; absent or
// empty means anonymous. Throws invalid_argument when malformed.
std::optional<Credentials> registry_auth(const ApiRequest& request);

// X-Registry-Config: base64url of {"SERVER": auth config, …}, as the docker
// CLI sends its whole config.json to a build. Keyed by registry domain
// ("https://index.docker.io/v1/" -> "docker.io", scheme and path dropped).
using RegistryCredentials = std::map<std::string, Credentials>;
RegistryCredentials registry_config(const ApiRequest& request);

}  // namespace berth
