#include "builder/step_cache.h"

#include <algorithm>

namespace berth {

std::string step_cache_key(const std::string& parent, const std::string& step,
                           const std::map<std::string, std::string>& args_in_scope,
                           std::optional<int64_t> source_date_epoch) {
  Sha256 h;
  h.update("berth build step v2\n");  // v2: history lines as BuildKit writes them
  h.update(parent + "\n" + step + "\n");
  for (const auto& [k, v] : args_in_scope) h.update(k + "=" + v + "\n");
  if (source_date_epoch) h.update("epoch=" + std::to_string(*source_date_epoch) + "\n");
  return h.finish().str();
}

std::string base_key(const std::optional<Digest>& base_image, const std::string& platform) {
  return (base_image ? "image " + base_image->str() : std::string("scratch")) + " " + platform;
}

namespace {

bool same_step(const Json& a, const Json& b) {
  return a.value("created_by", "") == b.value("created_by", "") &&
         a.value("empty_layer", false) == b.value("empty_layer", false);
}

std::optional<CacheFromStep> next_step_of(const ImageConfig& c, const BuiltSoFar& so_far, const std::string& created_by,
                                          const std::function<bool(const Digest&)>& have_layer) {
  const Json& history = c.doc["history"];
  const Json& have = so_far.history;
  if (history.size() <= have.size() || c.diff_ids.size() < so_far.diff_ids.size()) return std::nullopt;
  if (!std::equal(so_far.diff_ids.begin(), so_far.diff_ids.end(), c.diff_ids.begin())) return std::nullopt;
  for (size_t i = 0; i < have.size(); ++i)
    if (!same_step(have[i], history[i])) return std::nullopt;
  const Json& next = history[have.size()];
  if (next.value("created_by", "") != created_by) return std::nullopt;
  CacheFromStep step{next, std::nullopt};
  if (next.value("empty_layer", false)) return step;
  if (c.diff_ids.size() <= so_far.diff_ids.size()) return std::nullopt;
  std::vector<Digest> ids = so_far.diff_ids;
  ids.push_back(c.diff_ids[so_far.diff_ids.size()]);
  if (!have_layer(chain_ids(ids).back())) return std::nullopt;
  step.diff_id = ids.back();
  return step;
}

}  // namespace

std::optional<CacheFromStep> match_cache_from(const std::vector<ImageConfig>& images, const BuiltSoFar& so_far,
                                              const std::string& created_by,
                                              const std::function<bool(const Digest& chain_id)>& have_layer) {
  for (const ImageConfig& c : images) {
    if (!c.doc.contains("history") || !c.doc["history"].is_array()) continue;
    if (std::optional<CacheFromStep> step = next_step_of(c, so_far, created_by, have_layer)) return step;
  }
  return std::nullopt;
}

}  // namespace berth
