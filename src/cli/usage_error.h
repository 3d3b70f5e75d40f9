// A mistake in how a command was typed (unknown flag, wrong argument count):
// reported like docker does, with a pointer to --help, and exit status 125.
#pragma once

#include "core/error.h"

namespace berth {

class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace berth
