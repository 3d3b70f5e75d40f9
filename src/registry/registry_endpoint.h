// Where a registry is and how to talk to it: Docker Hub's API host and
// credentials key, which registries may use plain HTTP (Docker's rules), and
// the order of schemes the first request tries. Decided before any byte goes
// out, so it is plain data and pure functions.
#pragma once

#include <string>
#include <vector>

namespace berth {

// Where a reference's domain is served, and how.
struct RegistryEndpoint {
  std::string domain;     // as references name it: "docker.io", "localhost:5000"
  std::string api_host;   // where the API is: "registry-1.docker.io"
  std::string creds_key;  // its key in config.json: "https://index.docker.io/v1/"
  bool insecure = false;  // plain HTTP allowed, TLS not verified
};

// Docker's rules: loopback registries (localhost, 127.0.0.0/8, ::1) and those
// listed in `insecure` (host[:port] or an IPv4 CIDR) may use plain HTTP.
RegistryEndpoint endpoint_for(const std::string& domain, const std::vector<std::string>& insecure);

// A scheme to try for the first request (the ping), in order.
struct SchemeChoice {
  std::string scheme;    // "https" or "http"
  bool retry_transport;  // retry a dropped connection, or move to the next at once
};

// HTTPS; for an insecure registry HTTPS without verification and then plain
// HTTP, as Docker does. A connection failure on that unverified HTTPS falls
// back to HTTP at once: a plain-HTTP registry never answers TLS, and
// retrying would only delay every first request to it.
std::vector<SchemeChoice> schemes_to_try(const RegistryEndpoint& endpoint);

}  // namespace berth
