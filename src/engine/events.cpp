#include "engine/events.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/timestamp.h"
#include "store/event_log.h"

namespace berth {

namespace {

class EventFilter {
 public:
  explicit EventFilter(const std::vector<std::string>& specs) {
    static const std::set<std::string> kKeys = {"type", "event", "container", "image", "label",
                                                "network", "volume", "scope"};
    for (const std::string& spec : specs) {
      size_t eq = spec.find('=');
      if (eq == std::string::npos) throw invalid_argument("bad format of filter (expected name=value)");
      std::string key = spec.substr(0, eq);
      if (!kKeys.contains(key)) throw invalid_argument("invalid filter '" + key + "'");
      by_key_[key].push_back(spec.substr(eq + 1));
    }
  }

  bool matches(const Json& e) const {
    std::string type = e.value("Type", ""), action = e.value("Action", "");
    const Json& actor = e["Actor"];
    std::string id = actor.value("ID", "");
    const Json& attrs = actor.value("Attributes", Json::object());
    auto attr = [&](const char* k) { return attrs.is_object() ? attrs.value(k, "") : ""; };
    // "exec_start: sh" is the event exec_start, as Docker matches it.
    std::string event = action.substr(0, action.find(':'));
    auto of_type = [&](const std::string& key, const std::string& t, const std::function<bool(const std::string&)>& test) {
      auto it = by_key_.find(key);
      if (it == by_key_.end()) return true;
      return type == t && std::any_of(it->second.begin(), it->second.end(), test);
    };
    if (!any("type", [&](const std::string& v) { return v == type; })) return false;
    if (!any("event", [&](const std::string& v) { return v == action || v == event; })) return false;
    if (!any("scope", [&](const std::string& v) { return v == "local"; })) return false;
    if (!of_type("container", "container", [&](const std::string& v) { return id.starts_with(v) || attr("name") == v; }))
      return false;
    if (!of_type("network", "network", [&](const std::string& v) { return id.starts_with(v) || attr("name") == v; }))
      return false;
    if (!of_type("volume", "volume", [&](const std::string& v) { return id == v; })) return false;
    if (!any("image", [&](const std::string& v) {
          return (type == "image" && (id == v || attr("name") == v)) || (type == "container" && attr("image") == v);
        }))
      return false;
    auto labels = by_key_.find("label");
    if (labels != by_key_.end())
      for (const std::string& want : labels->second) {
        size_t eq = want.find('=');
        std::string key = want.substr(0, eq);
        if (!attrs.is_object() || !attrs.contains(key)) return false;
        if (eq != std::string::npos && attr(key.c_str()) != want.substr(eq + 1)) return false;
      }
    return true;
  }

 private:
  bool any(const std::string& key, const std::function<bool(const std::string&)>& test) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() || std::any_of(it->second.begin(), it->second.end(), test);
  }
  std::map<std::string, std::vector<std::string>> by_key_;
};

}  // namespace

void stream_events(Store& store, const EventQuery& query, const std::function<void(const Json&)>& emit,
                   const std::function<bool()>& cancelled) {
  EventFilter filter(query.filters);
  int64_t started = now_unix_nanos();
  // No window given: only what happens from now on.
  int64_t since = query.since_ns ? *query.since_ns : query.until_ns ? 0 : started;
  EventLogReader log(store.root());
  for (;;) {
    for (const Json& e : log.read_new()) {
      int64_t t = e.value("timeNano", int64_t{0});
      if (t < since || (query.until_ns && t > *query.until_ns)) continue;
      if (filter.matches(e)) emit(e);
    }
    if (query.until_ns && now_unix_nanos() > *query.until_ns) return;
    if (cancelled()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace berth
