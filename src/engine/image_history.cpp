#include "engine/image_history.h"

#include <algorithm>

#include "core/json_members.h"
#include "core/timestamp.h"

namespace berth {

std::vector<HistoryEntry> image_history(Store& store, const Digest& id) {
  ImageConfig config = store.config_of(id);
  std::optional<ImageRecord> image = store.images().get(id);
  std::vector<LayerInfo> layers;
  if (image && image->top_layer) layers = store.layers().stack(*image->top_layer);

  Json history = config.doc.value("history", Json::array());
  if (!history.is_array() || history.empty()) {
    history = Json::array();
    for (size_t i = 0; i < layers.size(); ++i) history.push_back({{"created", config.str("created")}});
  }
  std::vector<HistoryEntry> rows;
  size_t layer = 0;
  for (const Json& h : history) {
    HistoryEntry e;
    if (!bool_member(h, "empty_layer") && layer < layers.size()) e.size = layers[layer++].size;
    e.created = parse_rfc3339(string_member(h, "created")).value_or(0);
    e.created_by = string_member(h, "created_by");
    e.comment = string_member(h, "comment");
    rows.push_back(std::move(e));
  }
  std::reverse(rows.begin(), rows.end());
  // Each image of the build chain (the image, its parent, …: the steps of a
  // local build, then its base) names the row of its own last history entry,
  // as Docker shows them; older rows stay <missing>.
  std::optional<Digest> step = id;
  for (size_t hops = 0; step && hops < rows.size(); ++hops) {
    ImageConfig c = *step == id ? config : store.config_of(*step);
    Json h = c.doc.value("history", Json::array());
    size_t length = h.is_array() && !h.empty() ? h.size() : rows.size();
    if (length >= 1 && length <= rows.size()) rows[rows.size() - length].image = *step;
    std::optional<ImageRecord> rec = store.images().get(*step);
    step = rec ? rec->parent : std::nullopt;
    if (step && !store.images().get(*step)) break;
  }
  return rows;
}

}  // namespace berth
