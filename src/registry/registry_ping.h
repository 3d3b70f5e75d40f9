// The first request to a registry, GET /v2/: it settles which scheme the
// registry answers on and what auth it wants (the WWW-Authenticate
// challenge of its 401). Everything after it is sent on that scheme and
// authenticated as that challenge asks.
#pragma once

#include <optional>
#include <string>

#include "registry/auth_challenge.h"
#include "registry/http_pool.h"
#include "registry/registry_endpoint.h"
#include "registry/retry_policy.h"

namespace berth {

struct PingResult {
  std::string scheme;                      // "https" or "http"
  std::optional<AuthChallenge> challenge;  // none: the registry asks for no auth
};

// Tries schemes_to_try(endpoint) in order; any HTTP answer settles it. Throws
// Error("cannot reach registry <domain>: <why>", unavailable) when none
// answers.
PingResult ping_registry(const RegistryEndpoint& endpoint, HttpPool& pool, const RetryPolicy& policy);

}  // namespace berth
