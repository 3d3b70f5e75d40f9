// berth history [-H] [--no-trunc] [-q] [--format] IMAGE: the config's history,
// newest first, each layer-making step with its layer's size.
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "cli/units.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "history");
  Store& store = ctx.store();
  Digest id = store.images().resolve(args.positional()[0]);
  ImageConfig config = store.config_of(id);
  std::optional<ImageRecord> image = store.images().get(id);
  std::vector<LayerInfo> layers;
  if (image->top_layer) layers = store.layers().stack(*image->top_layer);
  bool human = args.value("human", "true") == "true";
  bool no_trunc = args.flag("no-trunc");
  int64_t now = unix_now();

  Json history = config.doc.value("history", Json::array());
  if (!history.is_array() || history.empty()) {
    history = Json::array();
    for (size_t i = 0; i < layers.size(); ++i) history.push_back({{"created", config.str("created")}});
  }
  std::vector<Json> rows;
  size_t layer = 0;
  for (const Json& h : history) {
    bool empty = h.value("empty_layer", false);
    int64_t size = 0;
    if (!empty && layer < layers.size()) size = layers[layer++].size;
    int64_t created = parse_rfc3339(h.value("created", "")).value_or(0);
    std::string created_by = h.value("created_by", "");
    for (char& c : created_by)
      if (c == '\t') c = ' ';
    Json row = Json::object();
    row["Comment"] = h.value("comment", "");
    row["CreatedAt"] = format_rfc3339(created);
    row["CreatedBy"] = no_trunc ? created_by : ellipsis(created_by, 45);
    row["CreatedSince"] = human ? human_duration(now - created) + " ago" : format_rfc3339(created);
    row["ID"] = "<missing>";
    row["Size"] = human ? human_size(static_cast<double>(size)) : std::to_string(size);
    rows.push_back(std::move(row));
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
    if (length >= 1 && length <= rows.size()) rows[rows.size() - length]["ID"] = no_trunc ? step->str() : step->short_id();
    std::optional<ImageRecord> rec = store.images().get(*step);
    step = rec ? rec->parent : std::nullopt;
    if (step && !store.images().get(*step)) break;
  }

  std::string format = args.value("format");
  if (args.flag("quiet")) format = "{{.ID}}";
  if (format.empty()) format = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
  Json headers = {{"ID", "IMAGE"},           {"CreatedSince", "CREATED"}, {"CreatedAt", "CREATED AT"},
                  {"CreatedBy", "CREATED BY"}, {"Size", "SIZE"},          {"Comment", "COMMENT"}};
  std::cout << format_rows(format, rows, headers);
  return 0;
}

}  // namespace

const Command kHistoryCommand = {
    "history", "berth history [OPTIONS] IMAGE", "Show the history of an image",
    {{'H', "human", false}, {0, "no-trunc", false}, {'q', "quiet", false}, {0, "format", true}}, run};

}  // namespace berth
