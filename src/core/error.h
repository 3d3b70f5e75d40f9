// The one exception type of berth. Its message is what the user sees, on one
// line, so it must name the problem (and the offending input) plainly. Its
// kind says what sort of failure it is, so that a front end maps it without
// reading the message: the CLI to an exit status, the Engine API to an HTTP
// status (docs/architecture.md, "Errors").
#pragma once

#include <stdexcept>
#include <string>

namespace berth {

enum class ErrorKind {
  failed,            // anything else: an operation that did not succeed
  invalid_argument,  // the input is wrong; repeating it cannot help (400)
  not_found,         // an image, container, blob or file that is not there (404)
  conflict,          // exists already, or in use (409)
  unavailable,       // a peer or resource is not reachable now; retrying may help (503)
  permission,        // denied by a registry or the system (403)
  unauthorized,      // credentials missing or refused (401)
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::failed)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// Shorthands for the kinds a caller tells apart most.
inline Error not_found(const std::string& message) { return Error(message, ErrorKind::not_found); }
inline Error conflict(const std::string& message) { return Error(message, ErrorKind::conflict); }
inline Error invalid_argument(const std::string& message) { return Error(message, ErrorKind::invalid_argument); }

// Throws Error("<what>: <strerror(errno)>"); for failed system calls. ENOENT
// is not_found, EEXIST conflict, EACCES/EPERM permission.
[[noreturn]] void throw_errno(const std::string& what);

}  // namespace berth
