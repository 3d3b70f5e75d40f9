#include "api/api_service.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "core/fs.h"

namespace berth {

namespace {

constexpr size_t kMaxRequestBody = size_t{1} << 30;  // bodies are held in memory for now

UniqueFd listen_unix(const std::string& path) {
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
  if (::listen(fd.get(), 128) != 0) throw Error("cannot listen on " + path + ": " + std::strerror(errno));
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

void serve_connection(int fd, const ApiRouter& router) {
  RequestReader reader(fd, kMaxRequestBody);
  try {
    while (auto request = reader.next()) {
      Reply response = router.route(*request);
      if (!request->keep_alive) response.headers["Connection"] = "close";
      write_response(fd, response, request->method == "HEAD", [](const std::exception& e) {
        const Error* error = dynamic_cast<const Error*>(&e);
        return json_error(error ? status_of(error->kind()) : 500, e.what());
      });
      if (!request->keep_alive || response.hijack) break;
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
    if (a.rfind("unix://", 0) != 0) throw invalid_argument("unsupported address " + a + ": only unix:///PATH for now");
    owned = listen_unix(a.substr(7));
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
    std::thread([client, &router, &open_connections] {
      UniqueFd connection(client);
      serve_connection(client, router);
      --open_connections;
    }).detach();
  }
}

}  // namespace berth
