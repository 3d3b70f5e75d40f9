// Docker's registry auth, as the /v2/ challenge asks for it: Bearer tokens
// from the challenge's realm, one per repository scope and kept for reuse
// (a pull asks for one token, not one per layer), or Basic with the
// credentials on every request. Safe to use from several threads at once.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "registry/auth_challenge.h"
#include "registry/credentials.h"
#include "registry/http_pool.h"
#include "registry/registry_endpoint.h"
#include "registry/retry_policy.h"

namespace berth {

class RegistryAuth {
 public:
  RegistryAuth(const RegistryEndpoint& endpoint, std::optional<Credentials> creds, HttpPool& pool,
               const RetryPolicy& policy)
      : endpoint_(endpoint), creds_(std::move(creds)), pool_(pool), policy_(policy) {}

  std::optional<AuthChallenge> challenge() const;
  void set_challenge(std::optional<AuthChallenge> challenge);
  // After a 401: the response's challenge replaces the one known, if it has
  // one (a registry that challenges only now, or for another realm).
  void rechallenge(const HttpResponse& resp);

  // The "Authorization: …" header line for a request in `scope`, "" when the
  // registry wants none: a kept Bearer token unless `fresh` (the last was
  // refused), else a new one; or Basic.
  std::string header(const std::string& scope, bool fresh);

  // A token for `scope` (space-separated scopes; "" for none) from `ch`'s
  // realm, sending the credentials if there are any.
  std::string fetch_token(const std::string& scope, const AuthChallenge& ch);

 private:
  std::string basic_header() const;

  const RegistryEndpoint& endpoint_;
  const std::optional<Credentials> creds_;
  HttpPool& pool_;
  const RetryPolicy& policy_;
  mutable std::mutex mu_;
  std::optional<AuthChallenge> challenge_;
  // Tokens by realm, service and scope: a new challenge never reuses
  // another realm's token.
  std::map<std::string, std::string> tokens_;
};

}  // namespace berth
