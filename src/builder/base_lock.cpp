#include "builder/base_lock.h"

#include "core/error.h"
#include "core/fs.h"

namespace berth {

BaseLock::BaseLock(std::filesystem::path file, bool pin) : file_(std::move(file)), pin_(pin) {
  std::error_code ec;
  if (file_.empty() || !std::filesystem::exists(file_, ec)) return;
  Json doc = Json::parse(read_file(file_), nullptr, false);
  if (!doc.is_object()) throw Error(file_.string() + " is not a lock file (JSON)");
  if (doc.contains("bases") && doc["bases"].is_object()) pinned_ = doc["bases"];
}

Digest BaseLock::resolve(Store& store, const std::string& name, const Reference& ref, const Resolver& resolve,
                         const std::function<void(const std::string&)>& warn) {
  if (!pin_ && pinned_.contains(name)) {
    const Json& entry = pinned_[name];
    std::string digest = entry.value("digest", "");
    Digest image = Digest::parse(entry.value("image", ""));
    if (store.images().get(image)) return image;
    if (!digest.empty()) {  // name@sha256:<manifest>: what a registry serves for it
      Digest id = resolve(digest);
      if (id != image) throw Error("FROM " + name + ": " + digest + " is not the image the lock file pins");
      return id;
    }
    throw Error("FROM " + name + " is pinned to " + image.str() + " (" + file_.filename().string() +
                "), which is not in the store");
  }
  if (ref.digest.empty() && (ref.tag.empty() || ref.tag == "latest"))
    warn("WARNING: FROM " + name + " uses the 'latest' tag, which moves: pin a version or a digest (build --pin) for a reproducible build");
  Digest id = resolve(name);
  Json entry = {{"image", id.str()}};
  for (const std::string& rd : store.images().repo_digests_of(id)) {
    Reference r = parse_normalized_named_or_throw(rd);
    if (r.name() == ref.name()) entry["digest"] = r.familiar_str();
  }
  resolved_[name] = entry;
  return id;
}

size_t BaseLock::write() const {
  Json lock = {{"bases", Json::object()}};
  for (const auto& [name, entry] : resolved_) lock["bases"][name] = entry;
  write_file_atomic(file_, lock.dump(2) + "\n", 0644);
  return resolved_.size();
}

}  // namespace berth
