// berth images / image ls: Docker's columns, filters, -q, --digests, --format.
#include <fnmatch.h>

#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "cli/image_rows.h"
#include "cli/units.h"
#include "cli/usage_error.h"
#include "core/reference.h"

namespace berth {
namespace {

struct Filters {
  std::optional<bool> dangling;
  std::vector<std::string> references;
  std::optional<int64_t> before, since;  // created times of the named images
  std::vector<std::string> labels;
};

Filters parse_filters(Store& store, const std::vector<std::string>& specs) {
  Filters f;
  for (const std::string& spec : specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos) throw Error("bad format of filter (expected name=value)");
    std::string key = spec.substr(0, eq), value = spec.substr(eq + 1);
    if (key == "dangling") {
      if (value != "true" && value != "false" && value != "1" && value != "0")
        throw Error("invalid filter 'dangling=" + value + "'");
      f.dangling = value == "true" || value == "1";
    } else if (key == "reference") {
      f.references.push_back(value);
    } else if (key == "before" || key == "since") {
      ImageConfig c = store.config_of(store.images().resolve(value));
      int64_t t = parse_rfc3339(c.str("created")).value_or(0);
      (key == "before" ? f.before : f.since) = t;
    } else if (key == "label") {
      f.labels.push_back(value);
    } else {
      throw Error("invalid filter '" + key + "'");
    }
  }
  return f;
}

bool label_matches(const Json& labels, const std::string& want) {
  if (!labels.is_object()) return false;
  size_t eq = want.find('=');
  std::string key = want.substr(0, eq);
  auto it = labels.find(key);
  if (it == labels.end()) return false;
  return eq == std::string::npos || (it->is_string() && it->get<std::string>() == want.substr(eq + 1));
}

// Docker matches reference=PATTERN against the familiar name and name:tag.
bool reference_matches(const std::string& pattern, const Reference& r) {
  std::string name = r.familiar_name();
  std::string with_tag = name + ":" + r.tag;
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0 || fnmatch(pattern.c_str(), with_tag.c_str(), 0) == 0;
}

struct ListOptions {
  bool no_trunc = false, all = false;
  int64_t now = 0;
};

// The (repository, tag) pairs an image is listed under, after the reference
// filters; none when the filters leave none.
std::vector<std::pair<std::string, std::string>> listed_names(const std::vector<std::string>& tags,
                                                              const std::vector<std::string>& repo_digests,
                                                              const Filters& filters) {
  std::vector<Reference> refs;
  for (const std::string& t : tags) refs.push_back(parse_normalized_named_or_throw(t));
  if (!filters.references.empty()) {
    std::vector<Reference> kept;
    for (const Reference& r : refs)
      for (const std::string& p : filters.references)
        if (reference_matches(p, r)) {
          kept.push_back(r);
          break;
        }
    if (kept.empty()) return {};
    refs = kept;
  }
  std::vector<std::pair<std::string, std::string>> names;
  for (const Reference& r : refs) names.emplace_back(r.familiar_name(), r.tag);
  if (names.empty()) {
    std::string repo = "<none>";
    if (!repo_digests.empty()) repo = parse_normalized_named_or_throw(repo_digests[0]).familiar_name();
    names.emplace_back(repo, "<none>");
  }
  return names;
}

// The rows of one image, one per name, unless the filters leave it out.
void add_rows(Store& store, const ImageFacts& img, const Filters& filters, const ListOptions& o, std::vector<Json>& rows) {
  std::vector<std::string> tags = store.images().tags_of(img.record.id);
  std::vector<std::string> repo_digests = store.images().repo_digests_of(img.record.id);
  // Build steps (untagged images other images were built on) show only with -a, as Docker's.
  bool intermediate = tags.empty() && repo_digests.empty() && !store.images().children_of(img.record.id).empty();
  if (intermediate && !o.all) return;
  bool dangling = tags.empty() && !intermediate;
  if (filters.dangling && *filters.dangling != dangling) return;
  if (filters.before && img.created >= *filters.before) return;
  if (filters.since && img.created <= *filters.since) return;
  bool labels_ok = std::all_of(filters.labels.begin(), filters.labels.end(),
                               [&](const std::string& l) { return label_matches(img.labels, l); });
  if (!labels_ok) return;
  std::vector<std::pair<std::string, std::string>> names = listed_names(tags, repo_digests, filters);
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
  for (const std::string& rd : repo_digests) digest_refs.push_back(parse_normalized_named_or_throw(rd));
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
  Filters filters = parse_filters(store, args.values("filter"));
  if (!args.positional().empty()) filters.references.push_back(args.positional()[0]);
  bool digests = args.flag("digests");
  ListOptions o{args.flag("no-trunc"), args.flag("all"), unix_now()};

  std::vector<ImageFacts> images;
  for (const ImageRecord& r : store.images().list()) images.push_back(image_facts(store, r));
  std::stable_sort(images.begin(), images.end(),
                   [](const ImageFacts& a, const ImageFacts& b) { return a.created > b.created; });
  std::vector<Json> rows;
  for (const ImageFacts& img : images) add_rows(store, img, filters, o, rows);

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
