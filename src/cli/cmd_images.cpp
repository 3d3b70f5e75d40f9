// berth images / image ls: Docker's columns, filters, -q, --digests, --format.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "core/units.h"
#include "cli/usage_error.h"
#include "core/reference.h"
#include "engine/image_list.h"

namespace berth {
namespace {

struct ListOptions {
  bool no_trunc = false, all = false;
  int64_t now = 0;
};

// The rows of one image, one per name; an untagged one is <none>:<none> (or
// its repository from a repo digest).
void add_rows(const ListedImage& listed, const ListOptions& o, std::vector<Json>& rows) {
  const ImageFacts& img = listed.facts;
  std::vector<std::pair<std::string, std::string>> names;
  for (const std::string& t : listed.tags) {
    Reference r = parse_normalized_named_or_throw(t);
    names.emplace_back(r.familiar_name(), r.tag);
  }
  if (names.empty()) {
    std::string repo = "<none>";
    if (!listed.repo_digests.empty()) repo = parse_normalized_named_or_throw(listed.repo_digests[0]).familiar_name();
    names.emplace_back(repo, "<none>");
  }
  // Columns of the image itself, computed once however many names it has.
  Json image_row = Json::object();
  image_row["Containers"] = "N/A";
  image_row["CreatedAt"] = format_rfc3339(img.created);
  image_row["CreatedSince"] = human_duration(o.now - img.created) + " ago";
  image_row["ID"] = o.no_trunc ? img.record.id.str() : img.record.id.short_id();
  image_row["SharedSize"] = "N/A";
  image_row["Size"] = human_size(static_cast<double>(img.size));
  image_row["UniqueSize"] = "N/A";
  image_row["VirtualSize"] = image_row["Size"];
  std::vector<Reference> digest_refs;
  for (const std::string& rd : listed.repo_digests) digest_refs.push_back(parse_normalized_named_or_throw(rd));
  for (const auto& [repo, tag] : names) {
    std::string digest = "<none>";
    for (const Reference& r : digest_refs)
      if (r.familiar_name() == repo) digest = r.digest;
    Json row = image_row;
    row["Digest"] = digest;
    row["Repository"] = repo;
    row["Tag"] = tag;
    rows.push_back(std::move(row));
  }
}

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 1, "images");
  Store& store = ctx.store();
  ImageFilters filters = parse_image_filters(store, args.values("filter"));
  if (!args.positional().empty()) filters.references.push_back(args.positional()[0]);
  bool digests = args.flag("digests");
  ListOptions o{args.flag("no-trunc"), args.flag("all"), unix_now()};

  std::vector<Json> rows;
  for (const ListedImage& img : list_images(store, filters, o.all)) add_rows(img, o, rows);

  std::string format = args.value("format");
  if (args.flag("quiet")) format = "{{.ID}}";
  if (format.empty())
    format = digests ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                     : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
  Json headers = {{"Containers", "CONTAINERS"}, {"CreatedAt", "CREATED AT"}, {"CreatedSince", "CREATED"},
                  {"Digest", "DIGEST"},         {"ID", "IMAGE ID"},          {"Repository", "REPOSITORY"},
                  {"SharedSize", "SHARED SIZE"}, {"Size", "SIZE"},          {"Tag", "TAG"},
                  {"UniqueSize", "UNIQUE SIZE"}, {"VirtualSize", "VIRTUAL SIZE"}};
  std::cout << format_rows(format, rows, headers);
  return 0;
}

}  // namespace

const Command kImagesCommand = {
    "images", "berth images [OPTIONS] [REPOSITORY[:TAG]]", "List images",
    {{'a', "all", false}, {'q', "quiet", false}, {0, "digests", false}, {0, "no-trunc", false},
     {'f', "filter", true}, {0, "format", true}},
    run};

}  // namespace berth
