#include "runtime/container_paths.h"

#include <fcntl.h>

#include <cerrno>

#include "core/error.h"

namespace berth {

UniqueFd open_container_log(const Store& store, const std::string& id) {
  std::filesystem::path log = ContainerPaths(store, id).log();
  UniqueFd fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 && errno != ENOENT) throw_errno("open " + log.string());
  return fd;
}

}  // namespace berth
