#include "registry/registry_client.h"

#include <arpa/inet.h>
#include <fcntl.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/fs.h"
#include "core/manifest.h"

namespace berth {
namespace {


// Accepted manifest types, most wanted first (as Docker sends them).
const char* const kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.5";

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr a;
  return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

bool in_cidr(const std::string& host, const std::string& cidr) {
  size_t slash = cidr.find('/');
  in_addr a, net;
  if (::inet_pton(AF_INET, host.c_str(), &a) != 1 || ::inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &net) != 1)
    return false;
  int bits = std::stoi(cidr.substr(slash + 1));
  if (bits < 0 || bits > 32) return false;
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (ntohl(a.s_addr) & mask) == (ntohl(net.s_addr) & mask);
}

std::string host_part(const std::string& domain) {
  if (domain.starts_with("[")) return domain.substr(0, domain.find(']') + 1);
  return domain.substr(0, domain.find(':'));
}

void backoff(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(250) * (1 << (attempt - 1)));
}

// A registry's error body ({"errors":[{"code","message"}]}) as Docker words
// it: "manifest unknown: manifest unknown".
std::string describe_errors(const HttpResponse& resp) {
  Json j = Json::parse(resp.body, nullptr, false);
  std::string out;
  if (j.is_object() && j.contains("errors") && j["errors"].is_array()) {
    for (const Json& e : j["errors"]) {
      if (!e.is_object()) continue;
      std::string code = e.value("code", "");
      for (char& c : code) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!out.empty()) out += ", ";
      out += code + ": " + e.value("message", "");
    }
  }
  if (!out.empty()) return out;
  switch (resp.status) {  // no body (a HEAD, or a terse registry): Docker's words
    case 401: return "unauthorized: authentication required";
    case 403: return "denied: requested access to the resource is denied";
    case 404: return "not found";
    default: return "HTTP status " + std::to_string(resp.status);
  }
}

}  // namespace

RegistryEndpoint endpoint_for(const std::string& domain, const std::vector<std::string>& insecure) {
  RegistryEndpoint e{domain, domain, domain, false};
  if (domain == "docker.io" || domain == "index.docker.io") {
    e.api_host = "registry-1.docker.io";
    e.creds_key = "https://index.docker.io/v1/";
  }
  std::string host = host_part(domain);
  e.insecure = is_loopback(host);
  for (const std::string& entry : insecure)
    if (entry == domain || entry == host || (entry.find('/') != std::string::npos && in_cidr(host, entry)))
      e.insecure = true;
  return e;
}

std::string pull_scope(const std::string& repo) { return "repository:" + repo + ":pull"; }
std::string push_scope(const std::string& repo) { return "repository:" + repo + ":pull,push"; }

// An HttpClient borrowed from the pool for one request: connections are
// reused, and each thread has its own handle while it needs one.
class RegistryClient::HttpLease {
 public:
  explicit HttpLease(RegistryClient& c) : c_(c) {
    std::lock_guard lock(c.mu_);
    if (!c.idle_.empty()) {
      http_ = std::move(c.idle_.back());
      c.idle_.pop_back();
    }
    if (!http_) http_ = std::make_unique<HttpClient>();
  }
  ~HttpLease() {
    std::lock_guard lock(c_.mu_);
    c_.idle_.push_back(std::move(http_));
  }
  HttpClient* operator->() { return http_.get(); }

 private:
  RegistryClient& c_;
  std::unique_ptr<HttpClient> http_;
};

RegistryClient::RegistryClient(RegistryEndpoint endpoint, std::optional<Credentials> creds)
    : endpoint_(std::move(endpoint)), creds_(std::move(creds)) {}

RegistryClient::~RegistryClient() = default;

std::string RegistryClient::url(const std::string& path) const {
  return path.starts_with("http://") || path.starts_with("https://") ? path
                                                                       : scheme_ + "://" + endpoint_.api_host + path;
}

void RegistryClient::ensure_pinged() {
  {
    std::lock_guard lock(mu_);
    if (!scheme_.empty()) return;
  }
  // Insecure registries: HTTPS without verification first, then plain HTTP,
  // as Docker does.
  std::vector<std::string> schemes = {"https"};
  if (endpoint_.insecure) schemes.push_back("http");
  std::string last_error;
  for (const std::string& scheme : schemes) {
    HttpRequest req;
    req.url = scheme + "://" + endpoint_.api_host + "/v2/";
    req.verify_tls = !endpoint_.insecure;
    HttpResponse resp;
    try {
      // HTTPS to an insecure registry falls back to HTTP at once.
      resp = send_unauthenticated(req, !(scheme == "https" && endpoint_.insecure));
    } catch (const TransportError& e) {
      last_error = e.what();
      continue;
    }
    std::lock_guard lock(mu_);
    scheme_ = scheme;
    if (resp.status == 401) challenge_ = parse_auth_challenge(resp.header("www-authenticate"));
    return;
  }
  throw Error("cannot reach registry " + endpoint_.domain + ": " + last_error);
}

HttpResponse RegistryClient::send_unauthenticated(const HttpRequest& req, bool retry_transport) {
  for (int attempt = 1;; ++attempt) {
    try {
      HttpLease http(*this);
      HttpResponse resp = http->send(req);
      if (resp.status < 500 || attempt >= kAttempts) return resp;
    } catch (const TransportError&) {
      if (!retry_transport || attempt >= kAttempts) throw;
    }
    backoff(attempt);
  }
}

std::string RegistryClient::fetch_token(const std::string& scope, const AuthChallenge& ch) {
  std::string realm = ch.param("realm");
  if (realm.empty()) throw Error(endpoint_.domain + ": its Bearer challenge names no realm");
  std::string u = realm + (realm.find('?') == std::string::npos ? "?" : "&");
  if (!ch.param("service").empty()) u += "service=" + percent_encode(ch.param("service"));
  size_t start = 0;
  while (start < scope.size()) {
    size_t end = scope.find(' ', start);
    if (end == std::string::npos) end = scope.size();
    u += "&scope=" + percent_encode(scope.substr(start, end - start));
    start = end + 1;
  }
  HttpRequest req;
  req.url = u;
  req.verify_tls = !endpoint_.insecure;
  if (creds_) req.headers.push_back("Authorization: Basic " + base64_encode(creds_->username + ":" + creds_->secret));
  HttpResponse resp = send_unauthenticated(req, true);
  if (resp.status == 401 || resp.status == 403)
    throw RegistryError(resp.status, endpoint_.domain + ": unauthorized: incorrect username or password");
  if (!resp.ok()) throw RegistryError(resp.status, endpoint_.domain + ": token server: " + describe_errors(resp));
  Json j = Json::parse(resp.body, nullptr, false);
  std::string token;
  if (j.is_object()) token = j.value("token", j.value("access_token", ""));
  if (token.empty()) throw Error(endpoint_.domain + ": the token server's answer holds no token");
  return token;
}

std::string RegistryClient::auth_header(const std::string& scope, bool fresh) {
  std::optional<AuthChallenge> ch;
  {
    std::lock_guard lock(mu_);
    ch = challenge_;
    if (ch && ch->scheme == "bearer" && !fresh) {
      auto it = tokens_.find(scope);
      if (it != tokens_.end()) return "Authorization: Bearer " + it->second;
    }
  }
  if (!ch) return "";
  if (ch->scheme == "basic")
    return creds_ ? "Authorization: Basic " + base64_encode(creds_->username + ":" + creds_->secret) : "";
  if (ch->scheme != "bearer") return "";
  std::string token = fetch_token(scope, *ch);
  std::lock_guard lock(mu_);
  tokens_[scope] = token;
  return "Authorization: Bearer " + token;
}

HttpResponse RegistryClient::send(HttpRequest req, const std::string& scope, bool retry) {
  ensure_pinged();
  req.url = url(req.url);
  req.verify_tls = !endpoint_.insecure;
  const std::vector<std::string> headers = req.headers;
  bool fresh_auth = false;
  for (int attempt = 1;; ++attempt) {
    req.headers = headers;
    if (std::string auth = auth_header(scope, fresh_auth); !auth.empty()) req.headers.push_back(auth);
    HttpResponse resp;
    try {
      HttpLease http(*this);
      resp = http->send(req);
    } catch (const TransportError&) {
      if (!retry || attempt >= kAttempts) throw;
      backoff(attempt);
      continue;
    }
    if (resp.status == 401 && !fresh_auth) {
      // An expired token, or a registry that challenges only now: ask again once.
      if (auto ch = parse_auth_challenge(resp.header("www-authenticate"))) {
        std::lock_guard lock(mu_);
        challenge_ = ch;
      }
      fresh_auth = true;
      continue;
    }
    if (retry && (resp.status >= 500 || resp.status == 429) && attempt < kAttempts) {
      backoff(attempt);
      continue;
    }
    return resp;
  }
}

void RegistryClient::fail(const HttpResponse& resp, const std::string& what) const {
  throw RegistryError(resp.status, what + ": " + describe_errors(resp));
}

FetchedManifest RegistryClient::get_manifest(const std::string& repo, const std::string& reference) {
  HttpRequest req;
  req.url = "/v2/" + repo + "/manifests/" + reference;
  req.headers.push_back(kManifestAccept);
  HttpResponse resp = send(req, pull_scope(repo));
  std::string name = endpoint_.domain + "/" + repo + (reference.starts_with("sha256:") ? "@" : ":") + reference;
  if (resp.status == 404) fail(resp, "manifest for " + name + " not found");
  if (resp.status == 401 || resp.status == 403)
    fail(resp, "pull access denied for " + endpoint_.domain + "/" + repo +
                   ", repository does not exist or may require 'berth login'");
  if (!resp.ok()) fail(resp, "manifest for " + name);

  FetchedManifest m;
  m.bytes = std::move(resp.body);
  m.digest = Digest::of(m.bytes);
  if (reference.starts_with("sha256:") && m.digest.str() != reference)
    throw Error("manifest for " + name + " does not match its digest (it is " + m.digest.str() + ")");
  if (std::string said = resp.header("docker-content-digest"); !said.empty() && said != m.digest.str())
    throw Error("manifest for " + name + ": the registry says its digest is " + said + " but it is " + m.digest.str());
  Json doc = Json::parse(m.bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw Error("manifest for " + name + " is not a JSON object");
  m.media_type = detect_manifest_media_type(doc, "manifest for " + name);
  return m;
}

std::string RegistryClient::get_small_blob(const std::string& repo, const Digest& digest) {
  std::string bytes;
  get_blob(repo, digest, static_cast<int64_t>(HttpClient::kMaxBodyInMemory),
           [&](const char* p, size_t n) { bytes.append(p, n); });
  if (Digest::of(bytes) != digest) throw Error("blob " + digest.str() + " does not match its digest");
  return bytes;
}

void RegistryClient::get_blob(const std::string& repo, const Digest& digest, int64_t size,
                              const std::function<void(const char*, size_t)>& sink) {
  int64_t got = 0;
  for (int attempt = 1;; ++attempt) {
    HttpRequest req;
    req.url = "/v2/" + repo + "/blobs/" + digest.str();
    if (got > 0) req.headers.push_back("Range: bytes=" + std::to_string(got) + "-");
    int64_t skip = -1;  // bytes of this response already delivered; -1 until known
    req.on_body = [&](long status, const char* p, size_t n) {
      if (skip < 0) skip = status == 206 ? 0 : got;  // a 200 to a Range request starts over
      size_t drop = static_cast<size_t>(std::min<int64_t>(skip, static_cast<int64_t>(n)));
      skip -= static_cast<int64_t>(drop);
      p += drop;
      n -= drop;
      if (n == 0) return;
      if (size >= 0 && got + static_cast<int64_t>(n) > size)
        throw Error("blob " + digest.str() + " is longer than its " + std::to_string(size) + " bytes");
      sink(p, n);
      got += static_cast<int64_t>(n);
    };
    HttpResponse resp;
    try {
      resp = send(req, pull_scope(repo), /*retry=*/false);
    } catch (const TransportError& e) {
      if (attempt >= kAttempts)
        throw TransportError("blob " + digest.str() + ": " + e.what() + " (gave up after " +
                             std::to_string(kAttempts) + " attempts)");
      backoff(attempt);
      continue;
    }
    if ((resp.status >= 500 || resp.status == 429) && attempt < kAttempts) {
      backoff(attempt);
      continue;
    }
    if (resp.status == 404) fail(resp, "blob " + digest.str() + " not found in " + endpoint_.domain + "/" + repo);
    if (!resp.ok()) fail(resp, "blob " + digest.str());
    return;
  }
}

bool RegistryClient::has_blob(const std::string& repo, const Digest& digest) {
  HttpRequest req;
  req.method = "HEAD";
  req.url = "/v2/" + repo + "/blobs/" + digest.str();
  HttpResponse resp = send(req, push_scope(repo));
  if (resp.ok()) return true;
  if (resp.status == 404) return false;
  fail(resp, "push to " + endpoint_.domain + "/" + repo);
}

bool RegistryClient::mount_blob(const std::string& repo, const Digest& digest, const std::string& from_repo) {
  HttpRequest req;
  req.method = "POST";
  req.url = "/v2/" + repo + "/blobs/uploads/?mount=" + percent_encode(digest.str()) + "&from=" + percent_encode(from_repo);
  HttpResponse resp = send(req, push_scope(repo) + " " + pull_scope(from_repo));
  if (resp.status == 201) return true;
  if (resp.status == 202) {  // started an upload instead: cancel it, the caller uploads
    if (std::string loc = resp.header("location"); !loc.empty()) {
      HttpRequest del;
      del.method = "DELETE";
      del.url = loc.starts_with("/") || loc.starts_with("http") ? loc : "/" + loc;
      send(del, push_scope(repo), false);
    }
    return false;
  }
  return false;
}

namespace {

// Appends the digest query to an upload location (which may have a query).
std::string with_digest(const std::string& location, const Digest& d) {
  return location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + percent_encode(d.str());
}

}  // namespace

// A blob file, opened anew for each upload attempt.
class BlobFileReader : public ByteReader {
 public:
  explicit BlobFileReader(const std::filesystem::path& file)
      : fd_(open_or_throw(file, O_RDONLY | O_CLOEXEC)), reader_(fd_.get(), file.string()) {}
  size_t read(void* buf, size_t size) override { return reader_.read(buf, size); }

 private:
  UniqueFd fd_;
  FdReader reader_;
};

void RegistryClient::upload_blob(const std::string& repo, const Digest& digest, const std::filesystem::path& file,
                                 int64_t size) {
  upload(repo, digest, size, [&] { return std::make_unique<BlobFileReader>(file); });
}

void RegistryClient::upload_blob(const std::string& repo, const Digest& digest, const std::string& bytes) {
  upload(repo, digest, static_cast<int64_t>(bytes.size()), [&] { return std::make_unique<StringReader>(bytes); });
}

// POST for an upload location, then one PUT of the whole blob; a dropped
// connection or a 5xx starts the upload over.
void RegistryClient::upload(const std::string& repo, const Digest& digest, int64_t size,
                            const std::function<std::unique_ptr<ByteReader>()>& open) {
  for (int attempt = 1;; ++attempt) {
    HttpRequest start;
    start.method = "POST";
    start.url = "/v2/" + repo + "/blobs/uploads/";
    HttpResponse resp = send(start, push_scope(repo));
    if (resp.status != 202) fail(resp, "upload to " + endpoint_.domain + "/" + repo);
    std::string location = resp.header("location");
    if (location.empty()) throw Error(endpoint_.domain + ": upload started without a Location");

    std::unique_ptr<ByteReader> body = open();
    HttpRequest put;
    put.method = "PUT";
    put.url = with_digest(location, digest);
    put.headers.push_back("Content-Type: application/octet-stream");
    put.upload = body.get();
    put.upload_size = size;
    try {
      resp = send(put, push_scope(repo), /*retry=*/false);
    } catch (const TransportError&) {
      if (attempt >= kAttempts) throw;
      backoff(attempt);
      continue;
    }
    if (resp.status >= 500 && attempt < kAttempts) {
      backoff(attempt);
      continue;
    }
    if (resp.status != 201) fail(resp, "upload of " + digest.str() + " to " + endpoint_.domain + "/" + repo);
    return;
  }
}

Digest RegistryClient::put_manifest(const std::string& repo, const std::string& reference,
                                    const std::string& media_type, const std::string& bytes) {
  HttpRequest req;
  req.method = "PUT";
  req.url = "/v2/" + repo + "/manifests/" + reference;
  req.headers.push_back("Content-Type: " + media_type);
  req.body = bytes;
  HttpResponse resp = send(req, push_scope(repo));
  if (resp.status != 201 && resp.status != 200) fail(resp, "manifest for " + endpoint_.domain + "/" + repo + ":" + reference);
  Digest d = Digest::of(bytes);
  if (std::string said = resp.header("docker-content-digest"); !said.empty() && said != d.str())
    throw Error(endpoint_.domain + " stored the manifest as " + said + " but it is " + d.str());
  return d;
}

std::vector<std::string> RegistryClient::list_tags(const std::string& repo) {
  HttpRequest req;
  req.url = "/v2/" + repo + "/tags/list";
  HttpResponse resp = send(req, pull_scope(repo));
  if (!resp.ok()) fail(resp, "tags of " + endpoint_.domain + "/" + repo);
  Json j = Json::parse(resp.body, nullptr, false);
  std::vector<std::string> tags;
  if (j.is_object() && j.contains("tags") && j["tags"].is_array())
    for (const Json& t : j["tags"])
      if (t.is_string()) tags.push_back(t.get<std::string>());
  return tags;
}

void RegistryClient::check_login() {
  ensure_pinged();
  std::optional<AuthChallenge> ch;
  {
    std::lock_guard lock(mu_);
    ch = challenge_;
  }
  if (!ch) return;  // the registry asks for no credentials
  if (ch->scheme == "bearer") {
    fetch_token("", *ch);
    return;
  }
  HttpRequest req;
  req.url = "/v2/";
  HttpResponse resp = send(req, "", false);
  if (resp.status == 401 || resp.status == 403)
    throw RegistryError(resp.status, endpoint_.domain + ": unauthorized: incorrect username or password");
  if (!resp.ok()) fail(resp, endpoint_.domain);
}

}  // namespace berth
