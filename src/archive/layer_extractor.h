// Applies one layer tar to an empty directory (the layer's diff/), in
// overlayfs form: AUFS whiteouts (.wh.NAME, .wh..wh..opq) become whiteout
// devices (char 0/0) and opaque xattrs. Modes, owners, times, xattrs, hard
// links, symlinks, devices, fifos and sparse files are kept.
//
// Safety (docs/architecture.md §5): nothing is ever written outside the directory. Names
// are cleaned lexically and refused if they climb out; every parent is opened
// with O_NOFOLLOW, and a symlink on the way (one this layer made: "lib ->
// usr/lib", then "lib/x") is followed as if the directory were "/" — an
// absolute target starts again at it, ".." stops there — as Docker's chroot
// unpacking does: contained, never refused;
// hard links must name a file inside the layer; overlay's own trusted.overlay.*
// xattrs are refused, so a tar cannot forge redirects.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_reader.h"

namespace berth {

struct ExtractStats {
  int64_t entries = 0;
  // Docker's layer size: lstat sizes of all non-directories, hard links once.
  int64_t bytes = 0;
  // Regular files written with data, in stream order (checked against tar-split).
  std::vector<std::string> files_with_data;
  // Entries that replaced or whited out something written earlier in this layer.
  int64_t replaced = 0;
  // Parent directories reached through a symlink the layer made (followed
  // inside the layer, as Docker does): a tar-split cannot describe those.
  int64_t through_links = 0;
};

// What a member named above the root ("../x", "a/../../x") means.
enum class ClimbingNames {
  kRefuse,       // an error: a layer that does this is hostile
  kClampToRoot,  // ".." stops at the root, as Docker's ADD unpacks archives ("../x" → "x")
};

// Reads an uncompressed tar from `tar` and applies it below `dir_fd`.
// `what` names the layer in error messages. Throws Error on any bad entry.
ExtractStats extract_layer(ByteReader& tar, int dir_fd, const std::string& what,
                           ClimbingNames climbing = ClimbingNames::kRefuse);

// Cleans a tar member name lexically ("./a//b/../c" → "a/c"); leading "/" is
// dropped (names are relative to the layer). Returns false when it climbs
// above the root (never with kClampToRoot). An empty result means the root itself.
bool clean_member_name(const std::string& name, std::string* out, ClimbingNames climbing = ClimbingNames::kRefuse);

}  // namespace berth
