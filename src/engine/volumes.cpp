#include "engine/volumes.h"

#include <sys/stat.h>

#include <algorithm>

#include "core/error.h"
#include "core/fs.h"
#include "engine/filter_spec.h"
#include "core/timestamp.h"
#include "core/units.h"
#include "runtime/container_mounts.h"
#include "store/event_log.h"

namespace berth {

namespace {

std::filesystem::path volumes_dir(const Store& store) { return store.root() / "volumes"; }

// A volume made by -v or --mount has no volume.json: its directory's time stands in.
Volume read_volume(const Store& store, const std::string& name) {
  Volume v;
  v.name = name;
  std::filesystem::path dir = volumes_dir(store) / name;
  v.mountpoint = dir / "_data";
  std::error_code ec;
  if (std::filesystem::exists(dir / "volume.json", ec)) {
    Json meta = Json::parse(read_file(dir / "volume.json"), nullptr, false);
    if (meta.is_object()) {
      v.created = meta.value("Created", int64_t{0});
      v.labels = meta.contains("Labels") && meta["Labels"].is_object() ? meta["Labels"] : Json::object();
      v.options = meta.contains("Options") && meta["Options"].is_object() ? meta["Options"] : Json::object();
    }
  }
  if (v.created == 0) {
    struct stat st{};
    if (::stat(dir.c_str(), &st) == 0) v.created = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  }
  return v;
}

bool label_matches(const Json& labels, const std::string& want) {
  size_t eq = want.find('=');
  std::string key = want.substr(0, eq);
  if (!labels.is_object() || !labels.contains(key)) return false;
  return eq == std::string::npos || (labels[key].is_string() && labels[key].get<std::string>() == want.substr(eq + 1));
}

bool matches(Store& store, const Volume& v, const std::vector<std::string>& filters) {
  FilterSpec spec(filters, {"name", "label", "driver", "dangling"});
  auto test = [&](const std::string& key, const std::string& value) {
    if (key == "name") return v.name.find(value) != std::string::npos;
    if (key == "driver") return value == "local";
    if (key == "dangling") return (value == "true" || value == "1") == containers_using_volume(store, v.name).empty();
    return label_matches(v.labels, value);
  };
  return spec.matches(test);
}

}  // namespace

Volume create_volume(Store& store, const VolumeCreateOptions& o) {
  std::string name = o.name.empty() ? random_hex(64) : o.name;
  if (o.driver != "local" && !o.driver.empty())
    throw not_found("create " + name + ": error looking up volume plugin " + o.driver + ": plugin \"" + o.driver + "\" not found");
  if (!o.options.empty()) throw invalid_argument("volume options (-o) are not supported by berth's local driver yet");
  if (!valid_volume_name(name))
    throw invalid_argument("create " + name + ": \"" + name +
                           "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. "
                           "If you intended to pass a host directory, use absolute path");
  std::filesystem::path dir = volumes_dir(store) / name;
  std::error_code ec;
  if (std::filesystem::exists(dir / "_data", ec)) return read_volume(store, name);
  std::filesystem::create_directories(dir / "_data", ec);
  if (ec) throw Error("create " + name + ": " + ec.message());
  Json meta = {{"Created", now_unix_nanos()}, {"Labels", o.labels}, {"Options", o.options}};
  write_file_atomic(dir / "volume.json", meta.dump(), 0600);
  record_event(store.root(), "volume", "create", name, Json{{"driver", "local"}});
  return read_volume(store, name);
}

std::vector<Volume> list_volumes(Store& store, const std::vector<std::string>& filters) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(volumes_dir(store), ec))
    if (valid_volume_name(entry.path().filename().string()) && std::filesystem::is_directory(entry.path() / "_data", ec))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  std::vector<Volume> out;
  for (const std::string& n : names) {
    Volume v = read_volume(store, n);
    if (matches(store, v, filters)) out.push_back(std::move(v));
  }
  return out;
}

Volume find_volume(Store& store, const std::string& name) {
  std::error_code ec;
  if (!valid_volume_name(name) || !std::filesystem::is_directory(volumes_dir(store) / name / "_data", ec))
    throw not_found("get " + name + ": no such volume");
  return read_volume(store, name);
}

Json inspect_volume(const Volume& v) {
  return {{"CreatedAt", format_rfc3339(v.created / 1000000000)}, {"Driver", "local"},
          {"Labels", v.labels}, {"Mountpoint", v.mountpoint.string()}, {"Name", v.name}, {"Options", v.options},
          {"Scope", "local"}};
}

std::vector<std::string> containers_using_volume(Store& store, const std::string& name) {
  std::vector<std::string> ids;
  for (const ContainerRecord& c : store.containers().all())
    for (const Json& m : c.config.value("HostConfig", Json::object()).value("Mounts", Json::array()))
      if (m.value("Type", "") == "volume" && m.value("Name", "") == name) ids.push_back(c.id);
  return ids;
}

void remove_volume(Store& store, const std::string& name) {
  Volume v = find_volume(store, name);
  std::vector<std::string> users = containers_using_volume(store, name);
  if (!users.empty()) {
    std::string list;
    for (const std::string& id : users) list += (list.empty() ? "" : ", ") + id;
    throw conflict("remove " + name + ": volume is in use - [" + list + "]");
  }
  remove_tree(volumes_dir(store) / name);
  record_event(store.root(), "volume", "destroy", name, Json{{"driver", "local"}});
}

VolumePrune prune_volumes(Store& store, const std::vector<std::string>& filters) {
  VolumePrune r;
  for (const Volume& v : list_volumes(store, filters)) {
    if (!containers_using_volume(store, v.name).empty()) continue;
    int64_t bytes = bytes_below(v.mountpoint);
    remove_tree(volumes_dir(store) / v.name);
    record_event(store.root(), "volume", "destroy", v.name, Json{{"driver", "local"}});
    r.names.push_back(v.name);
    r.reclaimed += bytes;
  }
  return r;
}

}  // namespace berth
