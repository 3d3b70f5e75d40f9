// berth history [-H] [--no-trunc] [-q] [--format] IMAGE: the config's history,
// newest first, each layer-making step with its layer's size.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "core/units.h"
#include "engine/image_history.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "history");
  Store& store = ctx.store();
  Digest id = store.images().resolve(args.positional()[0]);
  bool human = args.value("human", "true") == "true";
  bool no_trunc = args.flag("no-trunc");
  int64_t now = unix_now();
  std::vector<Json> rows;
  for (const HistoryEntry& h : image_history(store, id)) {
    std::string created_by = h.created_by;
    for (char& c : created_by)
      if (c == '\t') c = ' ';
    Json row = Json::object();
    row["Comment"] = h.comment;
    row["CreatedAt"] = format_rfc3339(h.created);
    row["CreatedBy"] = no_trunc ? created_by : ellipsis(created_by, 45);
    row["CreatedSince"] = human ? human_duration(now - h.created) + " ago" : format_rfc3339(h.created);
    row["ID"] = !h.image ? "<missing>" : no_trunc ? h.image->str() : h.image->short_id();
    row["Size"] = human ? human_size(static_cast<double>(h.size)) : std::to_string(h.size);
    rows.push_back(std::move(row));
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
