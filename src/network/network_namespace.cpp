#include "network/network_namespace.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

void create_network_namespace(const std::filesystem::path& pin) {
  UniqueFd file = open_or_throw(pin, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
  pid_t child = ::fork();
  if (child < 0) throw_errno("fork");
  if (child == 0) {
    // A child, so that berth itself stays in the host's namespace.
    if (::unshare(CLONE_NEWNET) != 0) _exit(1);
    int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (s < 0 || ::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) _exit(2);
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(s, SIOCSIFFLAGS, &ifr) != 0) _exit(3);
    if (::mount("/proc/self/ns/net", pin.c_str(), nullptr, MS_BIND, nullptr) != 0) _exit(4);
    _exit(0);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw_errno("wait");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ::unlink(pin.c_str());
    throw Error("cannot create a network namespace (step " + std::to_string(WEXITSTATUS(status)) + ")");
  }
}

void remove_network_namespace(const std::filesystem::path& pin) {
  ::umount2(pin.c_str(), MNT_DETACH);
  ::unlink(pin.c_str());
}

NetworkNamespaceGuard::NetworkNamespaceGuard(const std::filesystem::path& pin) {
  original_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_ < 0) throw_errno("open this thread's network namespace");
  UniqueFd target = open_or_throw(pin, O_RDONLY | O_CLOEXEC);
  if (::setns(target.get(), CLONE_NEWNET) != 0) {
    ::close(original_);
    throw_errno("enter the container's network namespace");
  }
}

NetworkNamespaceGuard::~NetworkNamespaceGuard() {
  if (::setns(original_, CLONE_NEWNET) != 0) std::abort();  // a thread left in the wrong namespace is a bug
  ::close(original_);
}

}  // namespace berth
