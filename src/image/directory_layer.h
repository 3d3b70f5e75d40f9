// A new image layer from a directory of changes in overlay form (a
// container's upper dir: whiteouts as char 0/0 devices, opaque directories
// by xattr) — what `commit` and each RUN/COPY step of `build` make: Docker's
// layer tar (our tar writer) gives the diff ID and a tar-split.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/registration.h"
#include "store/store.h"

namespace berth {

struct DirectoryLayer {
  StagedLayer staged;
  Digest diff_id;
  std::vector<Digest> diff_ids;  // the parent's and this one
  Digest chain_id;
};

// `staging` holds the tar and the layer until they are registered;
// `parent_diff_ids` are those of the image the changes apply to.
// With `clamp_mtime`, no file time in the layer is later than it (reproducible builds).
DirectoryLayer layer_from_directory(const StagingDir& staging, const std::filesystem::path& changes,
                                    const std::vector<Digest>& parent_diff_ids, const std::string& what,
                                    std::optional<int64_t> clamp_mtime = std::nullopt);

// The same layer without a copy: `changes` itself (a finished build step's
// upper dir, on the same file system as `staging`) is moved in as its diff/;
// only the tar's digest and its tar-split are made. File times stay as they
// are on disk; `clamp_mtime` clamps them in the tar (so in the layer's
// digest and in what save and push send). `watch`, if given, sees the
// layer's tar as it is made (to send it somewhere at the same time).
DirectoryLayer adopt_directory_as_layer(const StagingDir& staging, const std::filesystem::path& changes,
                                        const std::vector<Digest>& parent_diff_ids, const std::string& what,
                                        std::optional<int64_t> clamp_mtime = std::nullopt,
                                        const std::function<void(const char*, size_t)>& watch = {});

}  // namespace berth
