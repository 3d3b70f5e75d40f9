// What a registry's "no" means: RegistryError keeps the HTTP status, and
// every registry failure carries an ErrorKind (not found, unauthorized,
// denied, unavailable…) so front ends map it without reading the message.
// Messages stay Docker's words ("manifest unknown: manifest unknown"), taken
// from the registry's error body when it has one.
#pragma once

#include <string>

#include "core/error.h"
#include "registry/http_client.h"

namespace berth {

// The kind of an HTTP error status: 404 not_found, 401 unauthorized, 403
// permission, 429 and 5xx unavailable, anything else failed.
ErrorKind error_kind_for_status(long status);

// The kind of a registry's error code (distribution spec, "Error Codes"):
// MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN… not_found, DENIED permission,
// UNAUTHORIZED unauthorized, TOOMANYREQUESTS unavailable, the *_INVALID ones
// invalid_argument; failed for codes it does not know.
ErrorKind error_kind_for_code(const std::string& code);

// A response's kind: the first error code in its body that names one, else
// its status's.
ErrorKind error_kind_of(const HttpResponse& resp);

// The registry said no (an HTTP error status). `status` is kept so callers
// can tell "not found" from "denied"; the kind follows from it unless given.
class RegistryError : public Error {
 public:
  RegistryError(long status, const std::string& message)
      : Error(message, error_kind_for_status(status)), status(status) {}
  RegistryError(long status, const std::string& message, ErrorKind kind) : Error(message, kind), status(status) {}
  long status;
};

// A registry's error body ({"errors":[{"code","message"}]}) as Docker words
// it: "manifest unknown: manifest unknown"; Docker's words for the status
// when there is no body (a HEAD, or a terse registry).
std::string describe_errors(const HttpResponse& resp);

// Throws RegistryError("<what>: <describe_errors>") of the response's kind.
[[noreturn]] void throw_registry_error(const HttpResponse& resp, const std::string& what);

// Calls `parse` on content a registry served (a manifest, an index, a
// config): the parsers in core throw kindless Errors, and here one means the
// registry served bad content, so it becomes invalid_argument (same message).
template <typename F>
auto parse_served(F&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::failed) throw;
    throw invalid_argument(e.what());
  }
}

}  // namespace berth
