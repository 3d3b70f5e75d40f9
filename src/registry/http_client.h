// HTTP/1.1 and HTTP/2 requests over libcurl, one connection cache per client
// (so a client belongs to one thread). Response bodies either come back whole
// (small: manifests, tokens, errors) or stream to a callback (blobs). Knows
// nothing of registries: auth, retries and digests live in registry_client.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_reader.h"
#include "core/error.h"

typedef void CURL;

namespace berth {

// The request could not complete: no connection, reset, timeout, TLS failure.
// Retrying may help, unlike an HTTP error status; so it is unavailable.
class TransportError : public Error {
 public:
  explicit TransportError(const std::string& message) : Error(message, ErrorKind::unavailable) {}
  // Set by the retry policy that gave up on it, so that a policy around
  // that one (a request around its token fetch, an upload around its POST)
  // does not retry it again and multiply the attempts.
  bool retries_spent = false;
};

// `s` fit for a URL query value: all but RFC 3986's unreserved characters
// as %XX.
std::string percent_encode(std::string_view s);

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // a small body sent as is, or
  ByteReader* upload = nullptr;      // a streamed one of upload_size bytes
  int64_t upload_size = 0;           // -1: not known, sent chunked
  // Receives a successful (2xx) response body piece by piece, with its
  // status (206 for a range), instead of HttpResponse::body. An exception
  // thrown here aborts the transfer and is rethrown from send().
  std::function<void(long status, const char*, size_t)> on_body;
  bool verify_tls = true;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string url;  // after redirects

  // The last value of a header, "" when absent; `name` in lower case.
  std::string header(std::string_view name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Follows redirects (to blob storage, say; curl drops Authorization when
  // the host changes). Throws TransportError when no response arrived.
  HttpResponse send(const HttpRequest& request);

  // Bodies kept in memory are refused beyond this (Docker's manifest limit).
  static constexpr size_t kMaxBodyInMemory = 4 << 20;

 private:
  CURL* curl_;
};

}  // namespace berth
