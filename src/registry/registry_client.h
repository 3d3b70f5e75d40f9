// A client for one registry (OCI distribution spec v1.1 / Docker registry v2
// API): manifests and blobs in and out, with Docker's auth (the /v2/
// challenge, Bearer tokens per repository scope, or Basic), retries with
// backoff on 5xx and dropped connections, and blob downloads that resume
// where they broke off. Safe to use from several threads at once.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "registry/auth_challenge.h"
#include "registry/credentials.h"
#include "registry/http_client.h"

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

// The registry said no (an HTTP error status). `status` is kept so callers
// can tell "not found" from "denied".
class RegistryError : public Error {
 public:
  RegistryError(long status, const std::string& message) : Error(message), status(status) {}
  long status;
};

struct FetchedManifest {
  std::string bytes;
  std::string media_type;
  Digest digest;  // sha256 of bytes, checked against what was asked for
};

class RegistryClient {
 public:
  RegistryClient(RegistryEndpoint endpoint, std::optional<Credentials> creds);
  ~RegistryClient();

  const RegistryEndpoint& endpoint() const { return endpoint_; }

  // `reference` is a tag or a digest ("sha256:…"). Schema 1 is refused.
  FetchedManifest get_manifest(const std::string& repo, const std::string& reference);
  // A small blob (a config), read whole and verified against `digest`.
  std::string get_small_blob(const std::string& repo, const Digest& digest);
  // Streams a blob to `sink`, each byte once and in order, resuming with a
  // Range request when the connection drops. `size` (from the descriptor)
  // bounds it: a longer body is an error. The caller verifies the digest.
  void get_blob(const std::string& repo, const Digest& digest, int64_t size,
                const std::function<void(const char*, size_t)>& sink);

  bool has_blob(const std::string& repo, const Digest& digest);
  // Cross-repository mount; false when the registry did not mount it.
  bool mount_blob(const std::string& repo, const Digest& digest, const std::string& from_repo);
  void upload_blob(const std::string& repo, const Digest& digest, const std::filesystem::path& file, int64_t size);
  void upload_blob(const std::string& repo, const Digest& digest, const std::string& bytes);
  // Returns the digest the registry reports (checked to be the bytes' own).
  Digest put_manifest(const std::string& repo, const std::string& reference, const std::string& media_type,
                      const std::string& bytes);
  std::vector<std::string> list_tags(const std::string& repo);

  // Proves the credentials (login): a /v2/ request, or a token, with them.
  void check_login();

  // Retries: attempts in all, and the first backoff (doubled each time).
  static constexpr int kAttempts = 5;

 private:
  class HttpLease;
  HttpResponse send(HttpRequest req, const std::string& scope, bool retry = true);
  void upload(const std::string& repo, const Digest& digest, int64_t size,
              const std::function<std::unique_ptr<ByteReader>()>& open);
  // For /v2/ and token requests: retries dropped connections (if asked) and 5xx.
  HttpResponse send_unauthenticated(const HttpRequest& req, bool retry_transport);
  void ensure_pinged();
  std::string auth_header(const std::string& scope, bool fresh);
  std::string fetch_token(const std::string& scope, const AuthChallenge& ch);
  std::string url(const std::string& path) const;
  [[noreturn]] void fail(const HttpResponse& resp, const std::string& what) const;

  RegistryEndpoint endpoint_;
  std::optional<Credentials> creds_;
  std::mutex mu_;
  std::string scheme_;                     // decided by the first ping
  std::optional<AuthChallenge> challenge_;  // from /v2/
  std::map<std::string, std::string> tokens_;  // by scope
  std::vector<std::unique_ptr<HttpClient>> idle_;
};

// "repository:<repo>:pull" and friends, as token servers expect them.
std::string pull_scope(const std::string& repo);
std::string push_scope(const std::string& repo);

}  // namespace berth
