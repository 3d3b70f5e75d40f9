// A client for one registry (OCI distribution spec v1.1 / Docker registry v2
// API): manifests and blobs in and out, and blob downloads that resume where
// they broke off. The concerns under it are stacked, each in its own file:
// the endpoint and its scheme (registry_endpoint), the /v2/ ping
// (registry_ping), auth and its tokens (registry_auth), one retry policy for
// every request (retry_policy), and typed errors (registry_error). Safe to
// use from several threads at once.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "registry/credentials.h"
#include "registry/http_client.h"
#include "registry/http_pool.h"
#include "registry/registry_auth.h"
#include "registry/registry_endpoint.h"
#include "registry/registry_error.h"
#include "registry/retry_policy.h"

namespace berth {

struct FetchedManifest {
  std::string bytes;
  std::string media_type;
  Digest digest;  // sha256 of bytes, checked against what was asked for
};

class RegistryClient {
 public:
  // `policy` governs every request's retries (a test's may have a fake clock).
  RegistryClient(RegistryEndpoint endpoint, std::optional<Credentials> creds, RetryPolicy policy = RetryPolicy());
  ~RegistryClient();

  const RegistryEndpoint& endpoint() const { return endpoint_; }

  // `reference` is a tag or a digest ("sha256:…"). Schema 1 is refused.
  FetchedManifest get_manifest(const std::string& repo, const std::string& reference);
  // A small blob (a config), read whole and verified against `digest` and,
  // when given, the descriptor's `size`; at most 4 MiB.
  std::string get_small_blob(const std::string& repo, const Digest& digest, std::optional<int64_t> size = std::nullopt);
  // Streams a blob to `sink`, each byte once and in order, resuming with a
  // Range request when the connection drops. It is exactly `size` bytes (the
  // descriptor's): a body longer or shorter is an error, and nothing longer
  // reaches the sink. The caller verifies the digest.
  void get_blob(const std::string& repo, const Digest& digest, int64_t size,
                const std::function<void(const char*, size_t)>& sink);

  bool has_blob(const std::string& repo, const Digest& digest);
  // Cross-repository mount; false when the registry did not mount it.
  bool mount_blob(const std::string& repo, const Digest& digest, const std::string& from_repo);
  // `fd` is read from offset 0 on, anew for each attempt (the caller keeps it open).
  void upload_blob(const std::string& repo, const Digest& digest, int fd, int64_t size);
  void upload_blob(const std::string& repo, const Digest& digest, const std::string& bytes);
  // The body from `open`, called anew for each attempt.
  void upload_blob(const std::string& repo, const Digest& digest, int64_t size,
                   const std::function<std::unique_ptr<ByteReader>()>& open);
  // A blob streamed as it is made, its size and digest known only at its end
  // (docker push's way: PATCH with a chunked body, then PUT ?digest=).
  // `digest` is called once `body` has ended. One attempt: a stream is not read twice.
  void upload_blob_stream(const std::string& repo, ByteReader& body, const std::function<Digest()>& digest);
  // Returns the digest the registry reports (checked to be the bytes' own).
  Digest put_manifest(const std::string& repo, const std::string& reference, const std::string& media_type,
                      const std::string& bytes);
  std::vector<std::string> list_tags(const std::string& repo);

  // Proves the credentials (login): a /v2/ request, or a token, with them.
  void check_login();

 private:
  // Sends with auth (and one re-auth on a 401), retried by policy_ unless
  // !retry (when the caller retries a larger unit itself).
  HttpResponse send(HttpRequest req, const std::string& scope, bool retry = true);
  // One attempt of send(): the request with the scope's auth.
  HttpResponse send_authenticated(HttpRequest req, const std::vector<std::string>& headers, const std::string& scope,
                                  bool& reauthed);
  std::string start_upload(const std::string& repo);
  void upload(const std::string& repo, const Digest& digest, int64_t size,
              const std::function<std::unique_ptr<ByteReader>()>& open);
  void ensure_pinged();
  std::string url(const std::string& path) const;
  [[noreturn]] void fail(const HttpResponse& resp, const std::string& what) const;

  RegistryEndpoint endpoint_;
  RetryPolicy policy_;
  HttpPool pool_;
  RegistryAuth auth_;
  std::mutex mu_;
  std::string scheme_;  // decided by the first ping
};

// "repository:<repo>:pull" and friends, as token servers expect them.
std::string pull_scope(const std::string& repo);
std::string push_scope(const std::string& repo);

}  // namespace berth
