#include "engine/images.h"

#include "core/error.h"
#include "core/fs.h"
#include "core/reference.h"
#include "core/timestamp.h"
#include "store/event_log.h"
#include "store/image_leases.h"
#include "store/registration.h"

namespace berth {
namespace {

// What one transaction decided: the lines to print and the records deleted,
// whose files go after the commit.
struct RemovalPlan {
  Removal removal;
  std::vector<Store::ImageDeletion> deletions;
  struct Event {
    std::string action;  // untag | delete
    Digest id;
    std::string name;
  };
  std::vector<Event> events;  // recorded once the transaction committed
  void untagged(const Digest& id, const std::string& familiar) {
    removal.lines.push_back("Untagged: " + familiar);
    events.push_back({"untag", id, familiar});
  }
};

bool unused(Store& store, const Digest& id) {
  return store.images().get(id) && store.images().tags_of(id).empty() && store.images().repo_digests_of(id).empty() &&
         store.images().children_of(id).empty() && store.containers().using_image(id).empty() &&
         !ImageLeases(store.db()).held(id);
}

// Deletes the image's names and record and, with `prune_parents`, those of
// the build steps it came from that are left with no name, child or container.
void delete_with_parents(Store& store, const Digest& id, bool prune_parents, RemovalPlan& plan) {
  std::optional<Digest> next = id;
  while (next) {
    Digest current = *next;
    next.reset();
    std::vector<std::string> names = store.images().tags_of(current);
    for (const std::string& d : store.images().repo_digests_of(current)) names.push_back(d);
    for (const std::string& n : names) plan.untagged(current, parse_normalized_named_or_throw(n).familiar_str());
    Store::ImageDeletion d = store.delete_image_records(current);
    plan.removal.lines.push_back("Deleted: " + current.str());
    plan.events.push_back({"delete", current, current.str()});
    for (const LayerInfo& l : d.released) {
      plan.removal.lines.push_back("Deleted: " + l.chain_id.str());
      plan.removal.reclaimed += l.size;
    }
    std::optional<Digest> parent = d.image.parent;
    plan.deletions.push_back(std::move(d));
    if (prune_parents && parent && unused(store, *parent)) next = parent;
  }
}

// rmi NAME: the name goes; the image only with its last name, and never while a container uses it.
void untag_by_name(Store& store, const std::string& text, const Reference& ref, const Digest& id, bool force,
                   bool prune_parents, RemovalPlan& plan) {
  std::vector<ContainerRecord> users = store.containers().using_image(id);
  size_t names = store.images().tags_of(id).size() + store.images().repo_digests_of(id).size();
  if (!users.empty() && names <= 1 && !force)
    throw conflict("conflict: unable to remove repository reference \"" + text + "\" (must force) - container " +
                   users[0].id.substr(0, 12) + " is using its referenced image " + id.short_id());
  store.images().remove_name(ref.str());
  plan.untagged(id, ref.familiar_str());
  if (store.images().tags_of(id).empty() && store.images().repo_digests_of(id).empty() && users.empty())
    delete_with_parents(store, id, prune_parents, plan);
}

// rmi ID: Docker's conflicts (children, containers, several repositories).
void remove_by_id(Store& store, const Digest& id, bool force, bool prune_parents, RemovalPlan& plan) {
  if (!store.images().children_of(id).empty())
    throw conflict("conflict: unable to delete " + id.short_id() + " (cannot be forced) - image has dependent child images");
  std::vector<ContainerRecord> users = store.containers().using_image(id);
  for (const ContainerRecord& c : users) {
    bool running = c.state == "running";
    if (running || !force)
      throw conflict("conflict: unable to delete " + id.short_id() + (running ? " (cannot be forced)" : " (must be forced)") +
                     " - image is being used by " + (running ? "running" : "stopped") + " container " + c.id.substr(0, 12));
  }
  std::vector<std::string> tags = store.images().tags_of(id);
  if (!users.empty()) {  // forced, stopped containers: the names go, the image stays for them
    for (const std::string& t : tags) {
      store.images().remove_name(t);
      plan.untagged(id, parse_normalized_named_or_throw(t).familiar_str());
    }
    return;
  }
  if (tags.size() > 1 && !force)
    throw conflict("conflict: unable to delete " + id.short_id() +
                   " (must be forced) - image is referenced in multiple repositories");
  delete_with_parents(store, id, prune_parents, plan);
}

Removal finish(Store& store, Transaction& tx, RemovalPlan& plan) {
  tx.commit();
  for (const RemovalPlan::Event& e : plan.events)
    record_event(store.root(), "image", e.action, e.id.str(), Json{{"name", e.name}});
  for (const Store::ImageDeletion& d : plan.deletions) store.remove_deleted_files(d);
  return std::move(plan.removal);
}

}  // namespace

Removal remove_image(Store& store, const std::string& name_or_id, const RemoveImageOptions& options) {
  Transaction tx(store.db());
  Digest id = store.images().resolve(name_or_id);
  RemovalPlan plan;
  ReferenceResult ref = parse_docker_ref(name_or_id);
  if (ref.ref && store.images().by_name(ref.ref->str()) == id)
    untag_by_name(store, name_or_id, *ref.ref, id, options.force, options.prune_parents, plan);
  else
    remove_by_id(store, id, options.force, options.prune_parents, plan);
  return finish(store, tx, plan);
}

Removal prune_images(Store& store, const PruneImagesOptions& options) {
  Transaction tx(store.db());
  RemovalPlan plan;
  for (const ImageRecord& img : store.images().list()) {
    if (!store.images().get(img.id)) continue;  // gone with an image pruned before it
    if (!options.all && !store.images().tags_of(img.id).empty()) continue;
    if (!store.images().children_of(img.id).empty()) continue;  // a build step others stand on
    if (!store.containers().using_image(img.id).empty()) continue;  // a container's image is never pruned
    if (ImageLeases(store.db()).held(img.id)) continue;  // a running build's newest step
    delete_with_parents(store, img.id, true, plan);
  }
  return finish(store, tx, plan);
}

void tag_image(Store& store, const std::string& source, const std::string& target) {
  Reference ref = parse_docker_ref_or_throw(target);
  if (!ref.digest.empty()) throw invalid_argument("refusing to create a tag with a digest reference");
  Transaction tx(store.db());
  Digest id = store.images().resolve(source);
  store.images().set_tag(ref.str(), id, unix_now());
  store.images().touch_last_tag_time(id, now_unix_nanos());
  tx.commit();
  record_event(store.root(), "image", "tag", id.str(), Json{{"name", ref.familiar_str()}});
}

void tag_image(Store& store, const Digest& id, const std::vector<std::string>& full_names) {
  if (full_names.empty()) return;
  Registration reg(store);
  for (const std::string& name : full_names) reg.tag(name, id, unix_now());
  reg.commit();
  for (const std::string& name : full_names)
    record_event(store.root(), "image", "tag", id.str(), Json{{"name", parse_normalized_named_or_throw(name).familiar_str()}});
}

int64_t prune_build_cache(Store& store) {
  store.images().forget_build_cache();
  std::filesystem::path mounts = store.root() / "build-cache";
  int64_t reclaimed = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(mounts, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    reclaimed += bytes_below(it->path());
    remove_tree(it->path());
  }
  return reclaimed;
}

}  // namespace berth
