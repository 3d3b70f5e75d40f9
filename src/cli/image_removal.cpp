#include "cli/image_removal.h"

#include "core/reference.h"

namespace berth {

Removal remove_image(Store& store, const Digest& id, bool prune_parents) {
  Removal r;
  std::optional<Digest> next = id;
  while (next) {
    Digest current = *next;
    std::optional<ImageRecord> rec = store.images().get(current);
    if (!rec) break;
    std::vector<std::string> names = store.images().tags_of(current);
    for (const std::string& d : store.images().repo_digests_of(current)) names.push_back(d);
    for (const std::string& n : names) r.lines.push_back("Untagged: " + parse_normalized_named_or_throw(n).familiar_str());
    std::vector<LayerInfo> released = store.delete_image(current);
    r.lines.push_back("Deleted: " + current.str());
    for (const LayerInfo& l : released) {
      r.lines.push_back("Deleted: " + l.chain_id.str());
      r.reclaimed += l.size;
    }
    next.reset();
    if (!prune_parents || !rec->parent) break;
    const Digest& parent = *rec->parent;
    bool unused = store.images().get(parent) && store.images().tags_of(parent).empty() &&
                  store.images().repo_digests_of(parent).empty() && store.images().children_of(parent).empty() &&
                  store.containers().using_image(parent).empty();
    if (unused) next = parent;
  }
  return r;
}

}  // namespace berth
