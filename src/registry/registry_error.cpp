#include "registry/registry_error.h"

#include <nlohmann/json.hpp>

#include "core/image_config.h"

namespace berth {
namespace {

// The error objects of a registry's error body; empty when it has none.
Json error_entries(const HttpResponse& resp) {
  Json j = Json::parse(resp.body, nullptr, false);
  if (j.is_object() && j.contains("errors") && j["errors"].is_array()) return j["errors"];
  return Json::array();
}

}  // namespace

ErrorKind error_kind_for_status(long status) {
  if (status == 404) return ErrorKind::not_found;
  if (status == 401) return ErrorKind::unauthorized;
  if (status == 403) return ErrorKind::permission;
  if (status == 429 || status >= 500) return ErrorKind::unavailable;
  return ErrorKind::failed;
}

ErrorKind error_kind_for_code(const std::string& code) {
  if (code == "MANIFEST_UNKNOWN" || code == "BLOB_UNKNOWN" || code == "NAME_UNKNOWN" ||
      code == "BLOB_UPLOAD_UNKNOWN" || code == "MANIFEST_BLOB_UNKNOWN")
    return ErrorKind::not_found;
  if (code == "DENIED") return ErrorKind::permission;
  if (code == "UNAUTHORIZED") return ErrorKind::unauthorized;
  if (code == "TOOMANYREQUESTS" || code == "UNAVAILABLE") return ErrorKind::unavailable;
  if (code.ends_with("_INVALID") || code == "MANIFEST_UNVERIFIED" || code == "UNSUPPORTED")
    return ErrorKind::invalid_argument;
  return ErrorKind::failed;
}

ErrorKind error_kind_of(const HttpResponse& resp) {
  for (const Json& e : error_entries(resp)) {
    if (!e.is_object() || !e.contains("code") || !e["code"].is_string()) continue;
    if (ErrorKind k = error_kind_for_code(e["code"].get<std::string>()); k != ErrorKind::failed) return k;
  }
  return error_kind_for_status(resp.status);
}

std::string describe_errors(const HttpResponse& resp) {
  std::string out;
  for (const Json& e : error_entries(resp)) {
    if (!e.is_object()) continue;
    std::string code = e.value("code", "");
    for (char& c : code) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!out.empty()) out += ", ";
    out += code + ": " + e.value("message", "");
  }
  if (!out.empty()) return out;
  switch (resp.status) {
    case 401: return "unauthorized: authentication required";
    case 403: return "denied: requested access to the resource is denied";
    case 404: return "not found";
    default: return "HTTP status " + std::to_string(resp.status);
  }
}

void throw_registry_error(const HttpResponse& resp, const std::string& what) {
  throw RegistryError(resp.status, what + ": " + describe_errors(resp), error_kind_of(resp));
}

}  // namespace berth
