#include "engine/registry_mirrors.h"

#include <cstdlib>

#include "core/ascii_space.h"
#include "core/error.h"
#include "core/fs.h"
#include "engine/berth_config.h"
#include "engine/registry_access.h"

namespace berth {
namespace {

// A TOML value as registries.conf writes them: "basic", 'literal', true, false.
// Anything else (arrays, numbers) comes back as written.
std::string toml_value(const std::string& raw, size_t line) {
  if (raw.size() >= 2 && raw.front() == '\'' && raw.back() == '\'') return raw.substr(1, raw.size() - 2);
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out += raw[i];
        continue;
      }
      char c = raw[++i];
      if (c == 'n') out += '\n';
      else if (c == 't') out += '\t';
      else if (c == '"' || c == '\\') out += c;
      else throw Error("registries.conf line " + std::to_string(line) + ": unsupported escape \\" + std::string(1, c));
    }
    return out;
  }
  return raw;
}

// A line without its comment: from a '#' outside quotes on.
std::string without_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (quote && line[i] == quote) quote = 0;
    else if (!quote && (line[i] == '"' || line[i] == '\'')) quote = line[i];
    else if (!quote && line[i] == '#') return line.substr(0, i);
  }
  return line;
}

// "host[:port][/path]" -> domain and path.
std::pair<std::string, std::string> split_location(const std::string& location) {
  size_t slash = location.find('/');
  if (slash == std::string::npos) return {location, ""};
  return {location.substr(0, slash), location.substr(slash + 1)};
}

// Whether `name` ("domain/path") falls under `prefix` at a path boundary.
bool under(const std::string& name, const std::string& prefix) {
  return name == prefix || (name.starts_with(prefix) && name[prefix.size()] == '/');
}

RegistryMirror docker_hub_mirror(const std::string& url) {
  RegistryMirror m;
  m.name = url;
  std::string rest = url;
  if (rest.starts_with("http://")) {
    m.plain_http = true;
    rest = rest.substr(7);
  } else if (rest.starts_with("https://")) {
    rest = rest.substr(8);
  }
  while (rest.ends_with("/")) rest.pop_back();
  std::tie(m.domain, m.repository) = split_location(rest);
  return m;
}

}  // namespace

std::vector<MirroredRegistry> parse_registries_conf(const std::string& text) {
  std::vector<MirroredRegistry> out;
  std::vector<std::string> locations;  // each registry's location, used when it has no prefix
  enum class Table { kOther, kRegistry, kMirror } table = Table::kOther;
  int array_depth = 0;  // inside a multi-line array (unqualified-search-registries = [ … ])
  size_t number = 0;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    ++number;
    line = trim_ascii_space(without_comment(line));
    if (array_depth > 0) {
      for (char c : line) array_depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      continue;
    }
    if (line.empty()) continue;
    if (line == "[[registry]]") {
      out.push_back({});
      locations.push_back("");
      table = Table::kRegistry;
      continue;
    }
    if (line == "[[registry.mirror]]") {
      if (out.empty()) throw Error("registries.conf line " + std::to_string(number) + ": a mirror outside a [[registry]]");
      out.back().mirrors.push_back({});
      table = Table::kMirror;
      continue;
    }
    if (line.front() == '[') {
      table = Table::kOther;
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) throw Error("registries.conf line " + std::to_string(number) + ": expected key = value");
    std::string key = trim_ascii_space(line.substr(0, eq)), raw = trim_ascii_space(line.substr(eq + 1));
    if (!raw.empty() && raw.front() == '[') {
      for (char c : raw) array_depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      continue;
    }
    std::string value = toml_value(raw, number);
    if (table == Table::kRegistry) {
      if (key == "prefix") out.back().prefix = value;
      else if (key == "location") locations.back() = value;
      else if (key == "mirror-by-digest-only") out.back().digest_only_mirrors = value == "true";
    } else if (table == Table::kMirror) {
      RegistryMirror& m = out.back().mirrors.back();
      if (key == "location") {
        m.name = value;
        std::tie(m.domain, m.repository) = split_location(value);
      } else if (key == "insecure") {
        m.plain_http = value == "true";
      } else if (key == "pull-from-mirror") {
        if (value != "all" && value != "digest-only" && value != "tag-only")
          throw Error("registries.conf line " + std::to_string(number) + ": pull-from-mirror must be all, digest-only or tag-only");
        m.digest_only = value == "digest-only";
        m.tag_only = value == "tag-only";
      }
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].prefix.empty()) out[i].prefix = locations[i];
    if (out[i].prefix.empty()) throw Error("registries.conf: a [[registry]] without prefix or location");
    if (out[i].digest_only_mirrors)  // the older, registry-wide form of pull-from-mirror = "digest-only"
      for (RegistryMirror& m : out[i].mirrors) m.digest_only = true;
  }
  return out;
}

std::vector<RegistryMirror> mirrors_for(const Reference& ref, const std::vector<std::string>& docker_hub_mirrors,
                                        const std::vector<MirroredRegistry>& registries) {
  std::vector<RegistryMirror> out;
  if (ref.domain == "docker.io")
    for (const std::string& url : docker_hub_mirrors) {
      RegistryMirror m = docker_hub_mirror(url);
      m.repository = m.repository.empty() ? ref.path : m.repository + "/" + ref.path;
      out.push_back(m);
    }
  std::string name = ref.name();
  const MirroredRegistry* best = nullptr;
  for (const MirroredRegistry& r : registries)
    if (under(name, r.prefix) && (!best || r.prefix.size() > best->prefix.size())) best = &r;
  if (best) {
    std::string rest = name.size() > best->prefix.size() ? name.substr(best->prefix.size() + 1) : "";
    for (RegistryMirror m : best->mirrors) {
      m.repository = m.repository.empty() ? rest : rest.empty() ? m.repository : m.repository + "/" + rest;
      out.push_back(m);
    }
  }
  std::vector<RegistryMirror> serving;
  bool by_digest = !ref.digest.empty();
  for (RegistryMirror& m : out)
    if (!(m.digest_only && !by_digest) && !(m.tag_only && by_digest) && !m.domain.empty() && !m.repository.empty())
      serving.push_back(std::move(m));
  return serving;
}

std::vector<RegistryMirror> configured_mirrors_for(const Reference& ref) {
  std::vector<std::string> hub;
  Json config = read_berth_config();
  if (config.contains("registry-mirrors") && config["registry-mirrors"].is_array())
    for (const Json& m : config["registry-mirrors"])
      if (m.is_string()) hub.push_back(m.get<std::string>());
  const char* path = std::getenv("BERTH_REGISTRIES_CONF");
  std::filesystem::path conf = path && *path ? path : "/etc/containers/registries.conf";
  std::error_code ec;
  std::vector<MirroredRegistry> registries;
  if (std::filesystem::is_regular_file(conf, ec)) registries = parse_registries_conf(read_file(conf));
  return mirrors_for(ref, hub, registries);
}

RegistryClientFor clients_for_pull(std::vector<std::string> insecure, std::string origin,
                                   std::optional<Credentials> credentials) {
  return [insecure, origin, credentials](const std::string& domain, bool plain_http) {
    std::vector<std::string> allowed = insecure;
    if (plain_http) allowed.push_back(domain);
    return registry_client(domain, allowed, domain == origin ? credentials : std::nullopt);
  };
}

PullResult pull_via_mirrors(Store& store, const Reference& ref, PullOptions options, const RegistryClientFor& client_for,
                            const ProgressFn& progress, const std::function<void(const std::string&)>& warn) {
  for (const RegistryMirror& m : configured_mirrors_for(ref)) {
    try {
      options.repository = m.repository;
      return pull_image(store, *client_for(m.domain, m.plain_http), ref, options, progress);
    } catch (const Error& e) {
      warn("WARNING: mirror " + m.name + " failed for " + ref.familiar_str() + " (" + e.what() + "); pulling from " +
           ref.domain);
    }
  }
  options.repository.clear();
  return pull_image(store, *client_for(ref.domain, false), ref, options, progress);
}

}  // namespace berth
