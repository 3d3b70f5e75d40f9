// `events` and the Engine API's /events: the events log (store/event_log.h)
// read with Docker's selection — a time window and filters (type, event,
// container, image, label, network, volume, scope) — and followed while it
// grows until the window closes or the reader stops.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

struct EventQuery {
  std::optional<int64_t> since_ns, until_ns;  // unix nanoseconds
  std::vector<std::string> filters;           // KEY=VALUE, as --filter takes them
};

// Docker's rule: without `since` only new events are sent, unless `until` is
// given (then the log from its start); without `until`, it follows until
// `cancelled`. Throws Error for an unknown filter key.
void stream_events(Store& store, const EventQuery& query, const std::function<void(const Json&)>& emit,
                   const std::function<bool()>& cancelled);

}  // namespace berth
