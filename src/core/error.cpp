#include "core/error.h"

#include <cerrno>
#include <cstring>

namespace berth {

namespace {
ErrorKind kind_of_errno(int e) {
  switch (e) {
    case ENOENT: return ErrorKind::not_found;
    case EEXIST: case ENOTEMPTY: case EBUSY: return ErrorKind::conflict;
    case EACCES: case EPERM: return ErrorKind::permission;
    case EINVAL: return ErrorKind::invalid_argument;
    default: return ErrorKind::failed;
  }
}
}  // namespace

void throw_errno(const std::string& what) {
  int e = errno;
  throw Error(what + ": " + std::strerror(e), kind_of_errno(e));
}

}  // namespace berth
