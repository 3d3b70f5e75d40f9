// A container's json-file log, read as `logs`, an attached `run` and the
// Engine API's /containers/{id}/logs read it: from the start (the last N
// entries, none before a time) or from its end, then on as it grows, while
// the container runs. Entries come back parsed; front ends print or frame
// them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/fs.h"
#include "runtime/json_log.h"
#include "store/store.h"

namespace berth {

struct LogQuery {
  int64_t tail = -1;      // the last N entries of what is there; -1: all
  int64_t since_ns = 0;   // unix nanoseconds: entries before it are left out; 0: all
};

class ContainerLogReader {
 public:
  // `from_end`: only what is written from now on.
  ContainerLogReader(const Store& store, const std::string& id, bool from_end = false);

  // False when the container has no log (it never started).
  bool exists() const { return fd_.get() >= 0; }
  // The whole entries written since the last call, as `query` selects them.
  std::vector<LogEntry> read(const LogQuery& query = {});

 private:
  UniqueFd fd_;
  std::string carry_;  // a partial last line, for the next read
};

// `logs [-f]`: the entries `query` selects, in batches to `emit`; with
// `follow`, on until the container stops (then what it wrote last).
void read_container_logs(Store& store, const std::string& ref, const LogQuery& query, bool follow,
                         const std::function<void(const std::vector<LogEntry>&)>& emit);

// An attach without stdin (the Engine API's /attach, `docker run` without -i):
// what the container writes from now on, through its next run when it is not
// running yet, until it stops or `cancelled` returns true (a client gone).
void follow_container_output(Store& store, const std::string& ref,
                             const std::function<void(const std::vector<LogEntry>&)>& emit,
                             const std::function<bool()>& cancelled);

}  // namespace berth
