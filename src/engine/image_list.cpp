#include "engine/image_list.h"

#include <fnmatch.h>

#include <algorithm>

#include "core/error.h"
#include "core/reference.h"
#include "core/timestamp.h"

namespace berth {

namespace {

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

ImageFacts image_facts(Store& store, const ImageRecord& record) {
  ImageFacts f;
  f.record = record;
  ImageConfig config = store.config_of(record.id);
  f.created = parse_rfc3339(config.str("created")).value_or(0);
  f.size = store.image_size(record);
  if (config.doc.contains("config") && config.doc["config"].is_object())
    f.labels = config.doc["config"].value("Labels", Json());
  return f;
}

}  // namespace

ImageFilters parse_image_filters(Store& store, const std::vector<std::string>& specs) {
  ImageFilters f;
  for (const std::string& spec : specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos) throw invalid_argument("bad format of filter (expected name=value)");
    std::string key = spec.substr(0, eq), value = spec.substr(eq + 1);
    if (key == "dangling") {
      if (value != "true" && value != "false" && value != "1" && value != "0")
        throw invalid_argument("invalid filter 'dangling=" + value + "'");
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
      throw invalid_argument("invalid filter '" + key + "'");
    }
  }
  return f;
}

std::vector<ListedImage> list_images(Store& store, const ImageFilters& filters, bool all) {
  std::vector<ImageFacts> images;
  for (const ImageRecord& r : store.images().list()) images.push_back(image_facts(store, r));
  std::stable_sort(images.begin(), images.end(),
                   [](const ImageFacts& a, const ImageFacts& b) { return a.created > b.created; });
  std::vector<ListedImage> out;
  for (ImageFacts& img : images) {
    ListedImage listed{.facts = img, .tags = store.images().tags_of(img.record.id),
                       .repo_digests = store.images().repo_digests_of(img.record.id)};
    // Build steps (untagged images other images were built on) show only with -a, as Docker's.
    bool intermediate = listed.tags.empty() && listed.repo_digests.empty() &&
                        !store.images().children_of(img.record.id).empty();
    if (intermediate && !all) continue;
    bool dangling = listed.tags.empty() && !intermediate;
    if (filters.dangling && *filters.dangling != dangling) continue;
    if (filters.before && img.created >= *filters.before) continue;
    if (filters.since && img.created <= *filters.since) continue;
    bool labels_ok = std::all_of(filters.labels.begin(), filters.labels.end(),
                                 [&](const std::string& l) { return label_matches(img.labels, l); });
    if (!labels_ok) continue;
    if (!filters.references.empty()) {
      std::vector<std::string> kept;
      for (const std::string& t : listed.tags) {
        Reference r = parse_normalized_named_or_throw(t);
        for (const std::string& p : filters.references)
          if (reference_matches(p, r)) {
            kept.push_back(t);
            break;
          }
      }
      if (kept.empty()) continue;
      listed.tags = kept;
    }
    out.push_back(std::move(listed));
  }
  return out;
}

}  // namespace berth
