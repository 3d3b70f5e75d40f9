#include "runtime/container_mounts.h"

#include <sys/stat.h>

#include <regex>
#include <sstream>

#include "core/error.h"
#include "core/fs.h"
#include "core/key_value_list.h"

namespace berth {
namespace {

void check_target(const std::string& target, const std::string& spec) {
  if (target.empty() || target[0] != '/')
    throw Error("invalid mount config: mount path must be absolute: \"" + spec + "\"");
  if (target == "/") throw Error("invalid specification: destination can't be '/' in \"" + spec + "\"");
}

}  // namespace

bool valid_volume_name(const std::string& name) {
  static const std::regex kName("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
  return std::regex_match(name, kName);
}

Json parse_volume_flag(const std::string& spec) {
  std::vector<std::string> parts;
  std::istringstream in(spec);
  for (std::string p; std::getline(in, p, ':');) parts.push_back(p);
  if (parts.empty() || parts.size() > 3) throw Error("invalid volume specification: '" + spec + "'");
  Json m = {{"Type", "volume"}, {"Source", ""}, {"Target", parts.size() == 1 ? parts[0] : parts[1]}, {"ReadOnly", false},
            {"FromFlag", "v"}};
  if (parts.size() >= 2) {
    m["Source"] = parts[0];
    m["Type"] = parts[0].starts_with("/") ? "bind" : "volume";
    if (m["Type"] == "volume" && !valid_volume_name(parts[0]))
      throw Error("invalid volume specification: '" + spec + "': \"" + parts[0] + "\" is not a valid volume name");
  }
  if (parts.size() == 3) {
    std::istringstream opts(parts[2]);
    for (std::string o; std::getline(opts, o, ',');) {
      if (o == "ro") m["ReadOnly"] = true;
      else if (o == "nocopy") m["NoCopy"] = true;
      else if (o != "rw" && o != "z" && o != "Z") throw Error("invalid mode: " + o);
    }
  }
  check_target(m["Target"].get<std::string>(), spec);
  return m;
}

Json parse_mount_flag(const std::string& spec) {
  Json m = {{"Type", "volume"}, {"Source", ""}, {"Target", ""}, {"ReadOnly", false}, {"FromFlag", "mount"}};
  for (const auto& [key, value] : parse_key_value_list(spec)) {
    if (key == "type") {
      if (value != "bind" && value != "volume" && value != "tmpfs") throw Error("invalid mount type: " + value);
      m["Type"] = value;
    } else if (key == "source" || key == "src") {
      m["Source"] = value;
    } else if (key == "target" || key == "destination" || key == "dst") {
      m["Target"] = value;
    } else if (key == "readonly" || key == "ro") {
      m["ReadOnly"] = key_value_true(value);
    } else if (key == "volume-nocopy") {
      m["NoCopy"] = key_value_true(value);
    } else if (key == "tmpfs-size") {
      m["TmpfsSize"] = value;
    } else {
      throw Error("unexpected key '" + key + "' in '" + spec + "'");
    }
  }
  if (m["Type"] == "bind" && m["Source"] == "") throw Error("invalid mount config for type \"bind\": field Source must not be empty");
  check_target(m["Target"].get<std::string>(), spec);
  return m;
}

Json parse_tmpfs_flag(const std::string& spec) {
  std::string target = spec.substr(0, spec.find(':'));
  Json m = {{"Type", "tmpfs"}, {"Source", ""}, {"Target", target}, {"ReadOnly", false}, {"FromFlag", "tmpfs"}};
  if (spec.find(':') != std::string::npos) m["TmpfsOptions"] = spec.substr(spec.find(':') + 1);
  check_target(target, spec);
  return m;
}

Json prepare_mount(const Json& mount, const std::filesystem::path& volumes_dir) {
  Json m = mount;
  std::string type = m.value("Type", "");
  std::string source = m.value("Source", "");
  std::error_code ec;
  if (type == "bind") {
    if (!std::filesystem::exists(source, ec)) {
      if (m.value("FromFlag", "") != "v")
        throw Error("invalid mount config for type \"bind\": bind source path does not exist: " + source);
      std::filesystem::create_directories(source, ec);  // Docker's -v makes a missing host directory
      if (ec) throw Error("error while creating mount source path '" + source + "': " + ec.message());
    }
  } else if (type == "volume") {
    if (source.empty()) {  // anonymous: a fresh name, removed by `rm -v`
      source = random_hex(64);
      m["Anonymous"] = true;
    }
    // Every spelling (-v, --mount, the Engine API) ends here: a name is never a path.
    if (!valid_volume_name(source)) throw invalid_argument("\"" + source + "\" is not a valid volume name");
    std::filesystem::path data = volumes_dir / source / "_data";
    std::filesystem::create_directories(data, ec);
    if (ec) throw Error("create volume " + source + ": " + ec.message());
    m["Name"] = source;
    m["Source"] = data.string();
  }
  return m;
}

Json runtime_mount(const Json& m) {
  std::string type = m.value("Type", "");
  if (type == "tmpfs") {
    Json options = {"nosuid", "nodev", "noexec"};
    if (m.contains("TmpfsSize")) options.push_back("size=" + m["TmpfsSize"].get<std::string>());
    if (m.contains("TmpfsOptions")) {
      std::istringstream in(m["TmpfsOptions"].get<std::string>());
      for (std::string o; std::getline(in, o, ',');) options.push_back(o);
    }
    return {{"destination", m["Target"]}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", options}};
  }
  Json options = {"rbind", "rprivate"};
  if (m.value("ReadOnly", false)) options.push_back("ro");
  return {{"destination", m["Target"]}, {"type", "bind"}, {"source", m["Source"]}, {"options", options}};
}

}  // namespace berth
