#include "api/api_router.h"

#include <nlohmann/json.hpp>

#include "core/go_json.h"
#include "core/number.h"
#include "core/version.h"

namespace berth {

namespace {

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string json_error_without_id(const nlohmann::json::exception& e) {
  std::string message = e.what();
  size_t end = message.starts_with("[json.exception.") ? message.find("] ") : std::string::npos;
  return end == std::string::npos ? message : message.substr(end + 2);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// "1.41" as a comparable number (minor versions are below 100).
std::optional<int> version_number(const std::string& v) {
  size_t dot = v.find('.');
  if (dot == std::string::npos) return std::nullopt;
  auto major = try_parse_uint(v.substr(0, dot)), minor = try_parse_uint(v.substr(dot + 1));
  if (!major || !minor || *minor >= 100) return std::nullopt;
  return static_cast<int>(*major * 100 + *minor);
}

// Removes the path's version prefix (/v1.41) and returns that version.
std::optional<std::string> take_version(std::vector<std::string>& segments) {
  if (segments.empty() || segments.front().size() < 2 || segments.front()[0] != 'v' ||
      !version_number(segments.front().substr(1)))
    return std::nullopt;
  std::string version = segments.front().substr(1);
  segments.erase(segments.begin());
  return version;
}

bool is_capture(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

// {name} takes one segment; {name*} one or more (an image name has slashes),
// as many as the fixed segments after it leave.
bool match_route(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
                 std::map<std::string, std::string>& params) {
  size_t at = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& want = pattern[i];
    if (is_capture(want) && want[want.size() - 2] == '*') {
      size_t after = pattern.size() - i - 1;
      if (segments.size() < at + 1 + after) return false;
      std::string joined;
      for (size_t end = segments.size() - after; at < end; ++at) joined += (joined.empty() ? "" : "/") + segments[at];
      params[want.substr(1, want.size() - 3)] = joined;
      continue;
    }
    if (at >= segments.size()) return false;
    if (is_capture(want)) params[want.substr(1, want.size() - 2)] = segments[at];
    else if (want != segments[at]) return false;
    ++at;
  }
  return at == segments.size();
}

}  // namespace

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return 400;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::permission: return 403;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::failed: break;
  }
  return 500;
}

Reply json_response(int status, const std::string& json) {
  Reply r;
  r.status = status;
  r.headers["Content-Type"] = "application/json";
  r.body = go_escape_html(json) + "\n";  // moby's encoder escapes HTML and ends each document with a newline
  return r;
}

Reply json_response(int status, const Json& doc) {
  return json_response(status, doc.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string json_document(const Json& doc) {
  return go_escape_html(doc.dump(-1, ' ', false, Json::error_handler_t::replace)) + "\n";
}

Reply hijacked_reply(const ReceivedRequest& request) {
  Reply r;
  r.headers["Content-Type"] = kRawStreamType;
  if (!request.header("upgrade").empty()) {
    r.status = 101;
    r.headers["Connection"] = "Upgrade";
    r.headers["Upgrade"] = "tcp";
  }
  r.hijack = true;
  return r;
}

Reply no_content(int status) {
  Reply r;
  r.status = status;
  return r;
}

Reply json_error(int status, const std::string& message) {
  return json_response(status, nlohmann::json{{"message", message}}.dump());
}

void ApiRouter::add(const std::string& method, const std::string& pattern, ApiHandler handler, RequestBody body) {
  routes_.push_back(Route{method, split_path(pattern), std::move(handler), body});
}

bool ApiRouter::streams_body(const ReceivedRequest& request) const {
  std::vector<std::string> segments = split_path(request.path);
  take_version(segments);
  std::map<std::string, std::string> params;
  for (const Route& r : routes_)
    if (r.method == request.method && match_route(r.segments, segments, params)) return r.body == RequestBody::streamed;
  return false;
}

Reply ApiRouter::route(const ReceivedRequest& request) const {
  Reply r = dispatch(request);
  // moby's middleware puts these on every response; clients read API-Version off any.
  r.headers["Api-Version"] = kApiVersion;
  r.headers["Docker-Experimental"] = "false";
  r.headers["Ostype"] = "linux";
  r.headers["Server"] = std::string("berth/") + kBerthVersion + " (linux)";
  return r;
}

Reply ApiRouter::dispatch(const ReceivedRequest& request) const {
  std::vector<std::string> segments = split_path(request.path);
  std::string version = kApiVersion;
  if (std::optional<std::string> given = take_version(segments)) {
    version = *given;
    int v = *version_number(version);
    if (v < *version_number(kMinApiVersion))
      return json_error(400, "client version " + version + " is too old. Minimum supported API version is " +
                                 kMinApiVersion + ", please upgrade your client to a newer version");
    if (v > 144) return json_error(400, "client version " + version + " is too new. Maximum supported API version is 1.44");
  }
  // HEAD is GET without the body (write_response drops it).
  std::string method = request.method == "HEAD" ? "GET" : request.method;
  bool path_known = false;
  for (const Route& r : routes_) {
    ApiRequest api{request, version, {}};
    if (!match_route(r.segments, segments, api.params)) continue;
    path_known = true;
    if (r.method != method) continue;
    try {
      return r.handler(api);
    } catch (const Error& e) {
      return json_error(status_of(e.kind()), e.what());
    } catch (const nlohmann::json::exception& e) {
      // A request body member of a type the handler did not expect (Go's
      // decoder refuses it the same way: a 400).
      return json_error(400, "invalid request: " + json_error_without_id(e));
    } catch (const std::exception& e) {
      return json_error(500, e.what());
    }
  }
  if (path_known) return json_error(405, "method " + request.method + " not allowed for " + request.path);
  return json_error(404, "page not found");
}

}  // namespace berth
