#include "core/platform.h"

#include <sys/utsname.h>

#include "core/error.h"

namespace berth {
namespace {

std::string normalize_os(std::string os) {
  for (char& c : os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return os == "macos" ? "darwin" : os;
}

// containerd's normalizeArch.
void normalize_arch(std::string* arch, std::string* variant) {
  std::string& a = *arch;
  for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (a == "i386") {
    a = "386";
    variant->clear();
  } else if (a == "x86_64" || a == "x86-64" || a == "amd64") {
    a = "amd64";
    if (*variant == "v1") variant->clear();
  } else if (a == "aarch64" || a == "arm64") {
    a = "arm64";
    if (*variant == "8" || *variant == "v8") variant->clear();
  } else if (a == "armhf") {
    a = "arm";
    *variant = "v7";
  } else if (a == "armel") {
    a = "arm";
    *variant = "v6";
  } else if (a == "arm") {
    if (variant->empty() || *variant == "7") *variant = "v7";
    else if (*variant == "5" || *variant == "6" || *variant == "8") *variant = "v" + *variant;
  }
}

Platform normalized(Platform p) {
  p.os = normalize_os(p.os);
  normalize_arch(&p.architecture, &p.variant);
  return p;
}

}  // namespace

Platform Platform::parse(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (const std::string& p : parts)
    if (p.empty()) throw Error("invalid platform \"" + text + "\": empty part");
  if (parts.size() > 3) throw Error("invalid platform \"" + text + "\": expected os/arch[/variant]");
  Platform p;
  if (parts.size() == 1) {
    p = {"linux", parts[0], ""};
  } else {
    p = {parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  }
  return normalized(p);
}

Platform Platform::host() {
  utsname u;
  ::uname(&u);
  Platform p{"linux", u.machine, ""};
  return normalized(p);
}

std::optional<Platform> Platform::of(const Descriptor& d) {
  if (!d.platform.is_object()) return std::nullopt;
  Platform p{d.platform.value("os", ""), d.platform.value("architecture", ""), d.platform.value("variant", "")};
  return normalized(p);
}

std::string Platform::str() const { return os + "/" + architecture + (variant.empty() ? "" : "/" + variant); }

bool Platform::matches(const Platform& wanted) const {
  if (os != wanted.os || architecture != wanted.architecture) return false;
  return wanted.variant.empty() || variant == wanted.variant;
}

std::optional<Descriptor> pick_manifest(const Index& index, const Platform& wanted) {
  for (const Descriptor& d : index.manifests) {
    std::optional<Platform> p = Platform::of(d);
    if (p && p->matches(wanted)) return d;
  }
  return std::nullopt;
}

}  // namespace berth
