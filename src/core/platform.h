// Platforms (os/architecture/variant) as OCI indexes and `--platform` name
// them, normalised the way containerd does ("aarch64" -> arm64, arm64's
// variant v8 implied), and the choice of a manifest from an index.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/manifest.h"

namespace berth {

struct Platform {
  std::string os, architecture, variant;

  // "linux/arm64", "linux/arm/v7", "amd64" (os defaults to linux). Throws Error.
  static Platform parse(const std::string& text);
  // The machine berth runs on.
  static Platform host();
  // From an index entry's "platform" object; nullopt when it has none.
  static std::optional<Platform> of(const Descriptor& d);

  std::string str() const;  // "linux/arm64/v8"
  bool matches(const Platform& wanted) const;
};

// The index entry for `wanted`, or nullopt. Entries without a platform (and
// attestation manifests marked unknown/unknown) are not candidates.
std::optional<Descriptor> pick_manifest(const Index& index, const Platform& wanted);

}  // namespace berth
