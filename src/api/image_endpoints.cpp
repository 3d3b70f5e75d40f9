#include "api/image_endpoints.h"

#include "api/api_params.h"
#include "api/summaries.h"
#include "core/error.h"
#include "core/reference.h"
#include "engine/image_history.h"
#include "engine/image_list.h"
#include "engine/images.h"
#include "store/image_inspect.h"

namespace berth {

namespace {

Digest resolve_image(Store& store, const std::string& name) {
  std::optional<Digest> id = store.images().try_resolve(name);
  if (!id) throw not_found("No such image: " + name);
  return *id;
}

Reply list(const std::filesystem::path& root, const ApiRequest& request) {
  Store store(root);
  std::vector<std::string> specs = filter_specs(request);
  // The old `filter=NAME` parameter is a reference filter.
  if (std::string name = query_string(request, "filter"); !name.empty()) specs.push_back("reference=" + name);
  ImageFilters filters = parse_image_filters(store, specs);
  Json out = Json::array();
  for (const ListedImage& image : list_images(store, filters, query_bool(request, "all")))
    out.push_back(image_summary(image));
  return json_response(200, out);
}

Reply inspect(const std::filesystem::path& root, const ApiRequest& request) {
  Store store(root);
  return json_response(200, inspect_image(store, resolve_image(store, request.params.at("name"))));
}

Reply history(const std::filesystem::path& root, const ApiRequest& request) {
  Store store(root);
  Digest id = resolve_image(store, request.params.at("name"));
  Json out = Json::array();
  for (const HistoryEntry& h : image_history(store, id)) {
    Json tags = h.image ? Json(familiar_tags(store, *h.image)) : Json(nullptr);
    if (tags.is_array() && tags.empty()) tags = nullptr;
    out.push_back({{"Comment", h.comment}, {"Created", h.created}, {"CreatedBy", h.created_by},
                   {"Id", h.image ? h.image->str() : "<missing>"}, {"Size", h.size}, {"Tags", tags}});
  }
  return json_response(200, out);
}

Reply tag(const std::filesystem::path& root, const ApiRequest& request) {
  Store store(root);
  std::string repo = query_string(request, "repo"), tag = query_string(request, "tag");
  if (repo.empty()) throw invalid_argument("repository name must have at least one component");
  resolve_image(store, request.params.at("name"));
  tag_image(store, request.params.at("name"), tag.empty() ? repo : repo + ":" + tag);
  return no_content(201);
}

// "Untagged: X" and "Deleted: Y" lines as moby's [{"Untagged": X}, {"Deleted": Y}].
Json removal_items(const Removal& removal) {
  Json out = Json::array();
  for (const std::string& line : removal.lines) {
    size_t colon = line.find(": ");
    if (colon != std::string::npos) out.push_back({{line.substr(0, colon), line.substr(colon + 2)}});
  }
  return out;
}

Reply remove(const std::filesystem::path& root, const ApiRequest& request) {
  Store store(root);
  resolve_image(store, request.params.at("name"));
  RemoveImageOptions options{.force = query_bool(request, "force"), .prune_parents = !query_bool(request, "noprune")};
  return json_response(200, removal_items(remove_image(store, request.params.at("name"), options)));
}

Reply prune(const std::filesystem::path& root, const ApiRequest& request) {
  Store store(root);
  PruneImagesOptions options;
  for (const std::string& spec : filter_specs(request)) {
    if (spec == "dangling=false" || spec == "dangling=0") options.all = true;
    else if (spec != "dangling=true" && spec != "dangling=1") throw invalid_argument("invalid filter '" + spec + "'");
  }
  Removal removal = prune_images(store, options);
  Json deleted = removal_items(removal);
  return json_response(200, Json{{"ImagesDeleted", deleted.empty() ? Json(nullptr) : deleted},
                                 {"SpaceReclaimed", removal.reclaimed}});
}

}  // namespace

void add_image_endpoints(ApiRouter& router, const std::filesystem::path& root) {
  router.add("GET", "/images/json", [root](const ApiRequest& r) { return list(root, r); });
  router.add("POST", "/images/prune", [root](const ApiRequest& r) { return prune(root, r); });
  router.add("GET", "/images/{name*}/json", [root](const ApiRequest& r) { return inspect(root, r); });
  router.add("GET", "/images/{name*}/history", [root](const ApiRequest& r) { return history(root, r); });
  router.add("POST", "/images/{name*}/tag", [root](const ApiRequest& r) { return tag(root, r); });
  router.add("DELETE", "/images/{name*}", [root](const ApiRequest& r) { return remove(root, r); });
}

}  // namespace berth
