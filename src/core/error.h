// The one exception type of berth. Its message is what the user sees, on one
// line, so it must name the problem (and the offending input) plainly.
#pragma once

#include <stdexcept>
#include <string>

namespace berth {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws Error("<what>: <strerror(errno)>"); for failed system calls.
[[noreturn]] void throw_errno(const std::string& what);

}  // namespace berth
