#include "registry/registry_ping.h"

namespace berth {

PingResult ping_registry(const RegistryEndpoint& endpoint, HttpPool& pool, const RetryPolicy& policy) {
  std::string last_error;
  for (const SchemeChoice& choice : schemes_to_try(endpoint)) {
    HttpRequest req;
    req.url = choice.scheme + "://" + endpoint.api_host + "/v2/";
    req.verify_tls = !endpoint.insecure;
    HttpResponse resp;
    try {
      resp = policy.run([&] { return pool.send(req); }, choice.retry_transport);
    } catch (const TransportError& e) {
      last_error = e.what();
      continue;
    }
    PingResult result{choice.scheme, std::nullopt};
    if (resp.status == 401) result.challenge = parse_auth_challenge(resp.header("www-authenticate"));
    return result;
  }
  throw Error("cannot reach registry " + endpoint.domain + ": " + last_error, ErrorKind::unavailable);
}

}  // namespace berth
