#include "runtime/container_user.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

std::vector<std::vector<std::string>> read_colon_file(const std::filesystem::path& rootfs, const std::string& rel) {
  std::vector<std::vector<std::string>> rows;
  UniqueFd root = open_or_throw(rootfs, O_RDONLY | O_DIRECTORY);
  UniqueFd fd = open_beneath(root.get(), rel, O_RDONLY);
  if (fd.get() < 0) return rows;  // no such file: names cannot be resolved, numbers still can
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream f(line);
    for (std::string field; std::getline(f, field, ':');) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

std::optional<uint32_t> number(const std::string& s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

ContainerUser resolve_container_user(const std::filesystem::path& rootfs, const std::string& spec) {
  size_t colon = spec.find(':');
  std::string user = spec.substr(0, colon);
  std::string group;
  if (colon != std::string::npos) group = spec.substr(colon + 1);
  if (user.empty()) user.push_back('0');  // (not = "0": GCC 12 warns falsely, bug 105329)
  ContainerUser out;
  auto passwd = read_colon_file(rootfs, "etc/passwd");
  bool found = false;
  for (const auto& row : passwd) {
    if (row.size() < 6) continue;
    if (row[0] == user || (number(user) && row[2] == user)) {
      out.uid = number(row[2]).value_or(0);
      out.gid = number(row[3]).value_or(0);
      out.home = row[5].empty() ? "/" : row[5];
      found = true;
      break;
    }
  }
  if (!found) {
    std::optional<uint32_t> uid = number(user);
    if (!uid) throw Error("unable to find user " + user + ": no matching entries in passwd file");
    out.uid = *uid;
  }
  auto groups = read_colon_file(rootfs, "etc/group");
  if (!group.empty()) {
    out.group_given = true;
    bool gfound = false;
    for (const auto& row : groups)
      if (row.size() >= 3 && (row[0] == group || (number(group) && row[2] == group))) {
        out.gid = number(row[2]).value_or(0);
        gfound = true;
        break;
      }
    if (!gfound) {
      std::optional<uint32_t> gid = number(group);
      if (!gid) throw Error("unable to find group " + group + ": no matching entries in group file");
      out.gid = *gid;
    }
  }
  // Supplementary groups: those listing the user by name (only when a name is known).
  std::string name;
  for (const auto& row : passwd)
    if (row.size() >= 3 && number(row[2]) == out.uid) name = row[0];
  if (!name.empty())
    for (const auto& row : groups) {
      if (row.size() < 4) continue;
      std::istringstream members(row[3]);
      for (std::string m; std::getline(members, m, ',');)
        if (m == name) {
          if (std::optional<uint32_t> g = number(row[2]); g && *g != out.gid) out.groups.push_back(*g);
        }
    }
  return out;
}

std::vector<uint32_t> container_supplementary_groups(const ContainerUser& user) {
  if (user.group_given) return {user.gid};
  std::vector<uint32_t> groups = user.groups;
  groups.push_back(user.gid);
  return groups;
}

std::vector<uint32_t> build_step_supplementary_groups(const ContainerUser& user) {
  return user.group_given ? std::vector<uint32_t>{} : user.groups;
}

}  // namespace berth
