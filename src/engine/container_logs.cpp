#include "engine/container_logs.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <thread>

#include "core/timestamp.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_paths.h"

namespace berth {

ContainerLogReader::ContainerLogReader(const Store& store, const std::string& id, bool from_end)
    : fd_(open_container_log(store, id)) {
  if (from_end && fd_.get() >= 0) ::lseek(fd_.get(), 0, SEEK_END);
}

std::vector<LogEntry> ContainerLogReader::read(const LogQuery& query) {
  if (fd_.get() < 0) return {};
  char buf[65536];
  for (ssize_t n; (n = ::read(fd_.get(), buf, sizeof buf)) > 0;) carry_.append(buf, static_cast<size_t>(n));
  std::deque<LogEntry> entries;
  size_t start = 0;
  for (size_t nl; (nl = carry_.find('\n', start)) != std::string::npos; start = nl + 1) {
    LogEntry e;
    if (!parse_log_line(std::string_view(carry_).substr(start, nl - start), &e)) continue;
    if (query.since_ns && parse_rfc3339_nanos(e.time).value_or(0) < query.since_ns) continue;
    entries.push_back(std::move(e));
    if (query.tail >= 0 && entries.size() > static_cast<size_t>(query.tail)) entries.pop_front();
  }
  carry_.erase(0, start);
  return {std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end())};
}

void read_container_logs(Store& store, const std::string& ref, const LogQuery& query, bool follow,
                         const std::function<void(const std::vector<LogEntry>&)>& emit) {
  ContainerRecord c = store.containers().find(ref);
  ContainerLogReader log(store, c.id);
  if (!log.exists()) return;  // never started
  emit(log.read(query));
  if (!follow) return;
  LogQuery rest = query;
  rest.tail = -1;
  for (;;) {
    std::optional<ContainerRecord> now = store.containers().get(c.id);
    bool running = now && refresh_container(store, *now).state == "running";
    emit(log.read(rest));
    if (!running) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void follow_container_output(Store& store, const std::string& ref,
                             const std::function<void(const std::vector<LogEntry>&)>& emit,
                             const std::function<bool()>& cancelled) {
  ContainerRecord c = store.containers().find(ref);
  int64_t attached_at = now_unix_nanos();
  // The log is made now if this is the first run (the monitor appends to it),
  // so it is held open: an --rm container's output is read even after the
  // container and its directory are gone.
  UniqueFd(::open(ContainerPaths(store, c.id).log().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  ContainerLogReader log(store, c.id, /*from_end=*/true);
  while (!cancelled()) {
    std::optional<ContainerRecord> now = store.containers().get(c.id);
    if (now) now = refresh_container(store, *now);
    bool running = now && now->state == "running";
    bool ran = !now || running || now->started_at >= attached_at;
    if (ran) emit(log.read());
    if (ran && !running) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace berth
