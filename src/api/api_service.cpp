#include "api/api_service.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "core/fs.h"

namespace berth {

namespace {

// A body read whole (JSON: a container's config, an exec's): the large ones
// (build contexts, archives) are streamed by their routes instead.
constexpr size_t kMaxBufferedBody = size_t{64} << 20;

struct group_entry {
  gid_t gid;
};

group_entry find_group(const std::string& name) {
  group g{};
  group* found = nullptr;
  std::vector<char> buf(16384);
  if (::getgrnam_r(name.c_str(), &g, buf.data(), buf.size(), &found) != 0 || !found)
    throw invalid_argument("unknown group " + name);
  return {found->gr_gid};
}

UniqueFd listen_unix(const std::string& path, const std::string& group) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) throw invalid_argument("socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw Error(std::string("socket: ") + std::strerror(errno));
  // A socket file left by a service that was killed: nothing answers on it.
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
    throw conflict("another service is listening on " + path);
  // Only a socket is taken over: a path naming anything else is never deleted.
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode))
    throw conflict("cannot listen on " + path + ": it exists and is not a socket");
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  fd = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  mode_t old = ::umask(0117);  // 0660 from the start: no moment where others may connect
  int bound = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (bound != 0) throw Error("cannot listen on " + path + ": " + std::strerror(errno));
  // The group before listen(): nobody can connect until then.
  if (!group.empty()) {
    group_entry g = find_group(group);
    if (::chown(path.c_str(), 0, g.gid) != 0) throw_errno("chown " + path);
  }
  if (::listen(fd.get(), 128) != 0) throw Error("cannot listen on " + path + ": " + std::strerror(errno));
  return fd;
}

// tcp://HOST:PORT: an IPv4 or IPv6 literal (in brackets) or localhost.
UniqueFd listen_tcp(const std::string& host_port, bool allow_non_loopback) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) throw invalid_argument("tcp://HOST:PORT expected, got tcp://" + host_port);
  std::string host = host_port.substr(0, colon), port = host_port.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found) != 0 || !found)
    throw invalid_argument("cannot listen on tcp://" + host_port + ": not an address and port");
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, ::freeaddrinfo);
  bool loopback = false;
  if (found->ai_family == AF_INET)
    loopback = (ntohl(reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr.s_addr) >> 24) == 127;
  else if (found->ai_family == AF_INET6)
    loopback = IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<sockaddr_in6*>(found->ai_addr)->sin6_addr);
  if (!loopback && !allow_non_loopback)
    throw invalid_argument("refusing to listen on tcp://" + host_port +
                           ": it is not a loopback address, and the API is root on this machine to anyone who "
                           "reaches it (--allow-non-loopback to do it anyway)");
  if (!loopback)
    std::cerr << "WARNING: serving the Engine API on tcp://" << host_port
              << " without TLS: anyone who reaches it controls this machine as root\n";
  UniqueFd fd(::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw_errno("socket");
  int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd.get(), found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd.get(), 128) != 0)
    throw Error("cannot listen on tcp://" + host_port + ": " + std::strerror(errno));
  return fd;
}

// systemd's socket activation: LISTEN_PID is this process, LISTEN_FDS=1, fd 3.
int activated_socket() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (!pid || !fds || std::to_string(::getpid()) != pid || std::string(fds) != "1") return -1;
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  return 3;
}

void serve_connection(int fd, const ApiRouter& router, const std::function<void()>& after_each_request) {
  RequestReader reader(fd, kMaxBufferedBody);
  try {
    while (auto request = reader.next()) {
      if (router.streams_body(*request)) request->body_stream = &reader.body();
      else reader.read_body(*request);
      Reply response = router.route(*request);
      if (!request->keep_alive) response.headers["Connection"] = "close";
      try {
        write_response(fd, response, request->method == "HEAD", [](const std::exception& e) {
          const Error* error = dynamic_cast<const Error*>(&e);
          return json_error(error ? status_of(error->kind()) : 500, e.what());
        });
      } catch (...) {
        if (after_each_request) after_each_request();  // what a stream committed before its client went
        throw;
      }
      if (after_each_request) after_each_request();
      if (!request->keep_alive || response.hijack || !reader.finish_body()) break;
    }
  } catch (const RequestError& e) {
    try {
      Reply r = json_error(e.status(), e.what());
      r.headers["Connection"] = "close";
      write_response(fd, r);
    } catch (const Error&) {
    }
  } catch (const std::exception&) {
    // the peer went away while we wrote, or a stream failed after its
    // headers were sent: the connection ends, nothing else does
  }
}

}  // namespace

void serve_api(const ServiceOptions& options, const ApiRouter& router) {
  ::signal(SIGPIPE, SIG_IGN);  // a client that closes early is an EPIPE on its own connection
  UniqueFd owned;
  int listener = activated_socket();
  if (listener < 0) {
    const std::string& a = options.address;
    if (a.starts_with("unix://")) owned = listen_unix(a.substr(7), options.group);
    else if (a.starts_with("tcp://")) owned = listen_tcp(a.substr(6), options.allow_non_loopback);
    else throw invalid_argument("unsupported address " + a + ": unix:///PATH or tcp://HOST:PORT");
    listener = owned.get();
  }
  std::atomic<int> open_connections{0};
  auto last_activity = std::chrono::steady_clock::now();
  for (;;) {
    pollfd p{listener, POLLIN, 0};
    int ready = ::poll(&p, 1, 250);
    if (ready < 0 && errno != EINTR) throw Error(std::string("poll: ") + std::strerror(errno));
    auto now = std::chrono::steady_clock::now();
    if (open_connections.load() > 0) last_activity = now;
    if (ready <= 0) {
      if (options.idle_seconds > 0 && now - last_activity >= std::chrono::seconds(options.idle_seconds)) return;
      continue;
    }
    int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    last_activity = now;
    ++open_connections;
    std::thread([client, &router, &open_connections, &options] {
      UniqueFd connection(client);
      serve_connection(client, router, options.after_each_request);
      --open_connections;
    }).detach();
  }
}

}  // namespace berth
