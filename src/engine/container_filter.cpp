#include "engine/container_filter.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/number.h"
#include "runtime/container_pause.h"
#include "runtime/network_mode.h"

namespace berth {
namespace {

const std::set<std::string> kKeys = {"ancestor", "before", "expose", "exited", "id",     "label",
                                     "name",     "network", "publish", "since", "status", "volume"};
// Docker's container states; berth's containers are only ever in three of them.
const std::set<std::string> kStates = {"created", "restarting", "running", "removing", "paused", "exited", "dead"};

// Docker matches id= and name= as regular expressions, anywhere in the text.
bool regex_matches(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_search(text, std::regex(pattern));
  } catch (const std::regex_error&) {
    return text == pattern;
  }
}

bool label_matches(const Json& labels, const std::string& want) {
  if (!labels.is_object()) return false;
  size_t eq = want.find('=');
  auto it = labels.find(want.substr(0, eq));
  if (it == labels.end()) return false;
  return eq == std::string::npos || (it->is_string() && it->get<std::string>() == want.substr(eq + 1));
}

// "80", "80/tcp", "8000-8080/tcp" against "80/tcp".
bool port_matches(const std::string& want, const std::string& port_proto) {
  std::string want_proto = "tcp", range = want;
  if (size_t slash = want.find('/'); slash != std::string::npos) {
    want_proto = want.substr(slash + 1);
    range = want.substr(0, slash);
  }
  size_t slash = port_proto.find('/');
  int port = std::atoi(port_proto.substr(0, slash).c_str());
  std::string proto = slash == std::string::npos ? "tcp" : port_proto.substr(slash + 1);
  size_t dash = range.find('-');
  int low = std::atoi(range.substr(0, dash).c_str());
  int high = dash == std::string::npos ? low : std::atoi(range.substr(dash + 1).c_str());
  return proto == want_proto && port >= low && port <= high;
}

// A port filter against the keys of PortBindings or ExposedPorts ("80/tcp": …).
bool any_port_matches(const std::string& want, const Json& ports) {
  for (const auto& [port_proto, _] : ports.items())
    if (port_matches(want, port_proto)) return true;
  return false;
}

}  // namespace

ContainerFilter::ContainerFilter(Store& store, const std::vector<std::string>& specs) {
  for (const std::string& spec : specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos) throw Error("bad format of filter (expected name=value)");
    std::string key = spec.substr(0, eq), value = spec.substr(eq + 1);
    if (!kKeys.contains(key)) throw Error("invalid filter '" + key + "'");
    if (key == "status" && !kStates.contains(value)) throw Error("invalid filter 'status=" + value + "'");
    if (key == "exited") {
      int code = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), code);
      if (ec != std::errc() || p != value.data() + value.size()) throw Error("invalid filter 'exited=" + value + "'");
    }
    if (key == "ancestor") {
      Digest id = store.images().resolve(value);
      ancestor_ids_.push_back(id);
      if (std::optional<ImageRecord> image = store.images().get(id); image && image->top_layer)
        ancestor_tops_.push_back(*image->top_layer);
    }
    if (key == "before" || key == "since") (key == "before" ? before_ : since_).push_back(store.containers().find(value).created);
    by_key_[key].push_back(value);
  }
}

bool ContainerFilter::any_of(const std::string& key, const std::function<bool(const std::string&)>& test) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() || std::any_of(it->second.begin(), it->second.end(), test);
}

bool ContainerFilter::matches(Store& store, const ContainerRecord& c) const {
  const Json& config = c.config.value("Config", Json::object());
  const Json& host = c.config.value("HostConfig", Json::object());
  if (!any_of("id", [&](const std::string& v) { return regex_matches(v, c.id); })) return false;
  if (!any_of("name", [&](const std::string& v) { return regex_matches(v, "/" + c.name); })) return false;
  if (!any_of("status", [&](const std::string& v) { return v == docker_state(c); })) return false;
  if (!any_of("exited", [&](const std::string& v) { return c.state == "exited" && try_parse_int(v) == c.exit_code; }))
    return false;
  // Labels are the exception to "values of one key are alternatives": every
  // label= must match, as Docker's (compose finds a service's containers so).
  auto labels = by_key_.find("label");
  if (labels != by_key_.end() &&
      !std::all_of(labels->second.begin(), labels->second.end(),
                   [&](const std::string& v) { return label_matches(config.value("Labels", Json()), v); }))
    return false;
  if (by_key_.contains("network")) {
    std::vector<ContainerNetwork> networks = container_networks(store, c);
    if (!any_of("network", [&](const std::string& v) {
          return std::any_of(networks.begin(), networks.end(), [&](const ContainerNetwork& n) {
            return n.network.name == v || n.network.id.starts_with(v);
          });
        }))
      return false;
  }
  if (!any_of("volume", [&](const std::string& v) {
        for (const Json& m : host.value("Mounts", Json::array()))
          if (m.value("Target", "") == v || m.value("Name", "") == v || m.value("Source", "") == v) return true;
        return false;
      }))
    return false;
  const Json published = host.value("PortBindings", Json::object()), exposed = config.value("ExposedPorts", Json::object());
  if (!any_of("publish", [&](const std::string& v) { return any_port_matches(v, published); })) return false;
  if (!any_of("expose", [&](const std::string& v) { return any_port_matches(v, exposed); })) return false;
  if (!ancestor_ids_.empty()) {
    bool descends = std::find(ancestor_ids_.begin(), ancestor_ids_.end(), c.image_id) != ancestor_ids_.end();
    std::optional<ImageRecord> image = store.images().get(c.image_id);
    if (!descends && image && image->top_layer)
      for (const LayerInfo& l : store.layers().stack(*image->top_layer))
        if (std::find(ancestor_tops_.begin(), ancestor_tops_.end(), l.chain_id) != ancestor_tops_.end()) descends = true;
    if (!descends) return false;
  }
  for (int64_t t : before_)
    if (c.created >= t) return false;
  for (int64_t t : since_)
    if (c.created <= t) return false;
  return true;
}

}  // namespace berth
