#include "runtime/attach_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"

namespace berth {
namespace {

// Unix socket paths are limited to 107 bytes and a store's container
// directories can be longer: the socket is named through /proc/self/fd/N of
// the opened directory instead, which is short and resolves to the same place.
sockaddr_un address_in(int dir_fd) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::string path = "/proc/self/fd/" + std::to_string(dir_fd) + "/attach.sock";
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  return a;
}

}  // namespace

AttachListener::AttachListener(const std::filesystem::path& container_dir) : path_(container_dir / "attach.sock") {
  UniqueFd dir = open_or_throw(container_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ::unlinkat(dir.get(), "attach.sock", 0);  // left by a monitor that was killed
  fd_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  sockaddr_un a = address_in(dir.get());
  mode_t old = ::umask(077);
  int rc = fd_.get() < 0 ? -1 : ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::umask(old);
  if (rc != 0 || ::listen(fd_.get(), 16) != 0) throw_errno("attach socket " + path_.string());
}

AttachListener::~AttachListener() { ::unlink(path_.c_str()); }

UniqueFd connect_attach(const std::filesystem::path& container_dir) {
  UniqueFd dir = open_or_throw(container_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un a = address_in(dir.get());
  if (fd.get() < 0 || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw_errno("attach to the container's terminal");
  return fd;
}

}  // namespace berth
