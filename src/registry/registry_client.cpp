#include "registry/registry_client.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fs.h"
#include "core/manifest.h"
#include "registry/registry_ping.h"

namespace berth {
namespace {

// Accepted manifest types, most wanted first (as Docker sends them).
const char* const kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.5";

}  // namespace

std::string pull_scope(const std::string& repo) { return "repository:" + repo + ":pull"; }
std::string push_scope(const std::string& repo) { return "repository:" + repo + ":pull,push"; }

RegistryClient::RegistryClient(RegistryEndpoint endpoint, std::optional<Credentials> creds, RetryPolicy policy)
    : endpoint_(std::move(endpoint)), policy_(policy), auth_(endpoint_, std::move(creds), pool_, policy_) {}

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
  PingResult ping = ping_registry(endpoint_, pool_, policy_);
  std::lock_guard lock(mu_);
  scheme_ = ping.scheme;
  if (ping.challenge) auth_.set_challenge(ping.challenge);
}

HttpResponse RegistryClient::send(HttpRequest req, const std::string& scope, bool retry) {
  ensure_pinged();
  req.url = url(req.url);
  req.verify_tls = !endpoint_.insecure;
  const std::vector<std::string> headers = req.headers;
  bool reauthed = false;  // once per request, however many attempts
  auto attempt = [&] { return send_authenticated(req, headers, scope, reauthed); };
  return retry ? policy_.run(attempt) : attempt();
}

HttpResponse RegistryClient::send_authenticated(HttpRequest req, const std::vector<std::string>& headers,
                                                const std::string& scope, bool& reauthed) {
  for (;;) {
    req.headers = headers;
    if (std::string auth = auth_.header(scope, reauthed); !auth.empty()) req.headers.push_back(auth);
    HttpResponse resp = pool_.send(req);
    if (resp.status != 401 || reauthed) return resp;
    // An expired token, or a registry that challenges only now: ask again once.
    auth_.rechallenge(resp);
    reauthed = true;
  }
}

void RegistryClient::fail(const HttpResponse& resp, const std::string& what) const {
  throw_registry_error(resp, what);
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
    throw invalid_argument("manifest for " + name + " does not match its digest (it is " + m.digest.str() + ")");
  if (std::string said = resp.header("docker-content-digest"); !said.empty() && said != m.digest.str())
    throw invalid_argument("manifest for " + name + ": the registry says its digest is " + said + " but it is " +
                           m.digest.str());
  Json doc = Json::parse(m.bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw invalid_argument("manifest for " + name + " is not a JSON object");
  m.media_type = parse_served([&] { return detect_manifest_media_type(doc, "manifest for " + name); });
  return m;
}

std::string RegistryClient::get_small_blob(const std::string& repo, const Digest& digest, std::optional<int64_t> size) {
  constexpr int64_t kMax = static_cast<int64_t>(HttpClient::kMaxBodyInMemory);
  if (size && (*size < 0 || *size > kMax))
    throw invalid_argument("blob " + digest.str() + ": " + std::to_string(*size) + " bytes is more than the " +
                           std::to_string(kMax) + " a config may have");
  std::string bytes;
  get_blob(repo, digest, size.value_or(-1), [&](const char* p, size_t n) {
    if (static_cast<int64_t>(bytes.size() + n) > kMax)
      throw invalid_argument("blob " + digest.str() + " is larger than the " + std::to_string(kMax) + " bytes a config may have");
    bytes.append(p, n);
  });
  if (Digest::of(bytes) != digest) throw invalid_argument("blob " + digest.str() + " does not match its digest");
  return bytes;
}

void RegistryClient::get_blob(const std::string& repo, const Digest& digest, int64_t size,
                              const std::function<void(const char*, size_t)>& sink) {
  int64_t got = 0;
  // Each attempt asks for what is still missing, so the retries resume.
  auto attempt = [&] {
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
        throw invalid_argument("blob " + digest.str() + " is longer than its " + std::to_string(size) + " bytes");
      sink(p, n);
      got += static_cast<int64_t>(n);
    };
    return send(req, pull_scope(repo), /*retry=*/false);
  };
  HttpResponse resp;
  try {
    resp = policy_.run(attempt);
  } catch (const TransportError& e) {
    throw TransportError("blob " + digest.str() + ": " + e.what() + " (gave up after " +
                         std::to_string(policy_.limits().attempts) + " attempts)");
  }
  if (resp.status == 404) fail(resp, "blob " + digest.str() + " not found in " + endpoint_.domain + "/" + repo);
  if (!resp.ok()) fail(resp, "blob " + digest.str());
  if (size >= 0 && got != size)
    throw invalid_argument("blob " + digest.str() + " is shorter than its " + std::to_string(size) + " bytes (" +
                           std::to_string(got) + ")");
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

// An open blob file, read from its start for each upload attempt.
class BlobFileReader : public ByteReader {
 public:
  BlobFileReader(int fd, const Digest& digest) : reader_(fd, "blob " + digest.str()) {
    if (::lseek(fd, 0, SEEK_SET) != 0) throw_errno("rewind blob " + digest.str());
  }
  size_t read(void* buf, size_t size) override { return reader_.read(buf, size); }

 private:
  FdReader reader_;
};

void RegistryClient::upload_blob(const std::string& repo, const Digest& digest, int fd, int64_t size) {
  upload(repo, digest, size, [&] { return std::make_unique<BlobFileReader>(fd, digest); });
}

void RegistryClient::upload_blob(const std::string& repo, const Digest& digest, const std::string& bytes) {
  upload(repo, digest, static_cast<int64_t>(bytes.size()), [&] { return std::make_unique<StringReader>(bytes); });
}

void RegistryClient::upload_blob(const std::string& repo, const Digest& digest, int64_t size,
                                 const std::function<std::unique_ptr<ByteReader>()>& open) {
  upload(repo, digest, size, open);
}

// The upload location a POST gives (retried by itself, as every request is).
std::string RegistryClient::start_upload(const std::string& repo) {
  HttpRequest start;
  start.method = "POST";
  start.url = "/v2/" + repo + "/blobs/uploads/";
  HttpResponse resp = send(start, push_scope(repo));
  if (resp.status != 202) fail(resp, "upload to " + endpoint_.domain + "/" + repo);
  std::string location = resp.header("location");
  if (location.empty()) throw Error(endpoint_.domain + ": upload started without a Location");
  return location;
}

// POST for an upload location, then one PUT of the whole blob; a dropped
// connection or a 5xx on the PUT starts the upload over. The POST is retried
// by itself, as every request is; once its retries gave up there is no
// starting over either (it fails as retries_spent).
void RegistryClient::upload(const std::string& repo, const Digest& digest, int64_t size,
                            const std::function<std::unique_ptr<ByteReader>()>& open) {
  std::unique_ptr<ByteReader> body;  // outlives the attempt that reads it
  auto attempt = [&] {
    std::string location = start_upload(repo);
    body = open();
    HttpRequest put;
    put.method = "PUT";
    put.url = with_digest(location, digest);
    put.headers.push_back("Content-Type: application/octet-stream");
    put.upload = body.get();
    put.upload_size = size;
    return send(put, push_scope(repo), /*retry=*/false);
  };
  HttpResponse resp = policy_.run(attempt);
  if (resp.status != 201) fail(resp, "upload of " + digest.str() + " to " + endpoint_.domain + "/" + repo);
}

void RegistryClient::upload_blob_stream(const std::string& repo, ByteReader& body,
                                        const std::function<Digest()>& digest) {
  std::string location = start_upload(repo);
  HttpRequest patch;
  patch.method = "PATCH";
  patch.url = location;
  patch.headers.push_back("Content-Type: application/octet-stream");
  patch.upload = &body;
  patch.upload_size = -1;  // chunked
  HttpResponse resp = send(patch, push_scope(repo), /*retry=*/false);
  if (resp.status != 202) fail(resp, "upload to " + endpoint_.domain + "/" + repo);
  if (std::string next = resp.header("location"); !next.empty()) location = next;

  Digest d = digest();
  HttpRequest put;
  put.method = "PUT";
  put.url = with_digest(location, d);
  resp = send(put, push_scope(repo), /*retry=*/false);
  if (resp.status != 201) fail(resp, "upload of " + d.str() + " to " + endpoint_.domain + "/" + repo);
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
    throw invalid_argument(endpoint_.domain + " stored the manifest as " + said + " but it is " + d.str());
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
  std::optional<AuthChallenge> ch = auth_.challenge();
  if (!ch) return;  // the registry asks for no credentials
  if (ch->scheme == "bearer") {
    auth_.fetch_token("", *ch);
    return;
  }
  HttpRequest req;
  req.url = "/v2/";
  HttpResponse resp = send(req, "", false);
  if (resp.status == 401 || resp.status == 403)
    throw RegistryError(resp.status, endpoint_.domain + ": unauthorized: incorrect username or password",
                        ErrorKind::unauthorized);
  if (!resp.ok()) fail(resp, endpoint_.domain);
}

}  // namespace berth
