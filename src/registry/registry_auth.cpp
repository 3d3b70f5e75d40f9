#include "registry/registry_auth.h"

#include "core/base64.h"
#include "core/image_config.h"
#include "registry/registry_error.h"

namespace berth {
namespace {

std::string token_key(const AuthChallenge& ch, const std::string& scope) {
  return ch.param("realm") + '\n' + ch.param("service") + '\n' + scope;
}

// The token request's URL: the realm, its service, and each scope.
std::string token_url(const std::string& realm, const AuthChallenge& ch, const std::string& scope) {
  std::string u = realm + (realm.find('?') == std::string::npos ? "?" : "&");
  if (!ch.param("service").empty()) u += "service=" + percent_encode(ch.param("service"));
  size_t start = 0;
  while (start < scope.size()) {
    size_t end = scope.find(' ', start);
    if (end == std::string::npos) end = scope.size();
    u += "&scope=" + percent_encode(scope.substr(start, end - start));
    start = end + 1;
  }
  return u;
}

}  // namespace

std::optional<AuthChallenge> RegistryAuth::challenge() const {
  std::lock_guard lock(mu_);
  return challenge_;
}

void RegistryAuth::set_challenge(std::optional<AuthChallenge> challenge) {
  std::lock_guard lock(mu_);
  challenge_ = std::move(challenge);
}

void RegistryAuth::rechallenge(const HttpResponse& resp) {
  if (auto ch = parse_auth_challenge(resp.header("www-authenticate"))) set_challenge(std::move(ch));
}

std::string RegistryAuth::basic_header() const {
  return "Authorization: Basic " + base64_encode(creds_->username + ":" + creds_->secret);
}

std::string RegistryAuth::fetch_token(const std::string& scope, const AuthChallenge& ch) {
  std::string realm = ch.param("realm");
  if (realm.empty()) throw Error(endpoint_.domain + ": its Bearer challenge names no realm");
  HttpRequest req;
  req.url = token_url(realm, ch, scope);
  req.verify_tls = !endpoint_.insecure;
  if (creds_) req.headers.push_back(basic_header());
  HttpResponse resp = policy_.run([&] { return pool_.send(req); });
  // The token server refused the credentials, whichever of the two it says.
  if (resp.status == 401 || resp.status == 403)
    throw RegistryError(resp.status, endpoint_.domain + ": unauthorized: incorrect username or password",
                        ErrorKind::unauthorized);
  if (!resp.ok()) throw_registry_error(resp, endpoint_.domain + ": token server");
  std::string token = token_of_response(resp.body);
  if (token.empty()) throw Error(endpoint_.domain + ": the token server's answer holds no token");
  return token;
}

std::string RegistryAuth::header(const std::string& scope, bool fresh) {
  std::optional<AuthChallenge> ch;
  {
    std::lock_guard lock(mu_);
    ch = challenge_;
    if (ch && ch->scheme == "bearer" && !fresh) {
      auto it = tokens_.find(token_key(*ch, scope));
      if (it != tokens_.end()) return "Authorization: Bearer " + it->second;
    }
  }
  if (!ch) return "";
  if (ch->scheme == "basic") return creds_ ? basic_header() : "";
  if (ch->scheme != "bearer") return "";
  std::string token = fetch_token(scope, *ch);
  std::lock_guard lock(mu_);
  tokens_[token_key(*ch, scope)] = token;
  return "Authorization: Bearer " + token;
}

}  // namespace berth
