// Dockerfile.lock: the base images a build's FROM lines resolved to, so the
// next build uses the same ones however the tags have moved since (`build
// --pin` resolves every base afresh and records it).
//   {"bases": {"NAME": {"image": "sha256:…", "digest": "repo@sha256:…"}}}
// "image" is the image ID; "digest" the repository digest a registry serves
// it under, when the store knows one — what a machine without the image
// pulls to get it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "core/digest.h"
#include "core/image_config.h"
#include "core/reference.h"
#include "store/store.h"

namespace berth {

class BaseLock {
 public:
  // Reads `file` when it exists (an empty path: no lock file). Throws Error
  // when it is not a lock file.
  BaseLock(std::filesystem::path file, bool pin);

  using Resolver = std::function<Digest(const std::string& reference)>;
  // The image FROM `name` builds on: as pinned (unless pinning afresh), else
  // resolved now and recorded. `warn` hears about a moving `latest`.
  Digest resolve(Store& store, const std::string& name, const Reference& ref, const Resolver& resolve,
                 const std::function<void(const std::string&)>& warn);

  // Writes what this build resolved; returns how many bases it holds.
  size_t write() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  bool pin_;
  Json pinned_ = Json::object();
  std::map<std::string, Json> resolved_;
};

}  // namespace berth
