#include "core/image_config.h"

#include "core/error.h"

namespace berth {

ImageConfig ImageConfig::parse(std::string raw, const std::string& what) {
  ImageConfig c;
  c.doc = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (c.doc.is_discarded() || !c.doc.is_object()) throw Error(what + ": image config is not a JSON object");
  const Json* rootfs = c.doc.contains("rootfs") ? &c.doc["rootfs"] : nullptr;
  if (!rootfs || !rootfs->is_object() || rootfs->value("type", "") != "layers")
    throw Error(what + ": image config has no rootfs of type \"layers\"");
  if (rootfs->contains("diff_ids") && !(*rootfs)["diff_ids"].is_null()) {
    const Json& ids = (*rootfs)["diff_ids"];
    if (!ids.is_array()) throw Error(what + ": rootfs.diff_ids is not an array");
    for (const Json& id : ids) {
      Digest d;
      if (!id.is_string() || !Digest::try_parse(id.get<std::string>(), &d))
        throw Error(what + ": invalid diff ID " + id.dump());
      c.diff_ids.push_back(d);
    }
  }
  c.raw = std::move(raw);
  return c;
}

std::string ImageConfig::str(const char* key) const {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<Digest> chain_ids(const std::vector<Digest>& diff_ids) {
  std::vector<Digest> out;
  for (const Digest& d : diff_ids)
    out.push_back(out.empty() ? d : Digest::of(out.back().str() + " " + d.str()));
  return out;
}

}  // namespace berth
