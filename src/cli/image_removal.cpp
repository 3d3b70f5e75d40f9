#include "cli/image_removal.h"

#include "core/reference.h"

namespace berth {

Removal remove_image(Store& store, const Digest& id) {
  Removal r;
  std::vector<std::string> names = store.images().tags_of(id);
  for (const std::string& d : store.images().repo_digests_of(id)) names.push_back(d);
  for (const std::string& n : names) r.lines.push_back("Untagged: " + parse_normalized_named_or_throw(n).familiar_str());
  std::vector<LayerInfo> released = store.delete_image(id);
  r.lines.push_back("Deleted: " + id.str());
  for (const LayerInfo& l : released) {
    r.lines.push_back("Deleted: " + l.chain_id.str());
    r.reclaimed += l.size;
  }
  return r;
}

}  // namespace berth
