// berth rmi [-f] [--no-prune] IMAGE...: untag, and delete what is left unnamed.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/image_removal.h"
#include "core/reference.h"

namespace berth {
namespace {

// One argument; throws with docker's messages on conflicts.
std::vector<std::string> remove_one(Store& store, const std::string& text, bool force, bool no_prune) {
  Digest id = store.images().resolve(text);
  std::vector<std::string> tags = store.images().tags_of(id);
  std::vector<std::string> lines;
  ReferenceResult ref = parse_docker_ref(text);
  bool by_name = ref.ref && store.images().by_name(ref.ref->str()) == id;
  std::vector<ContainerRecord> users = store.containers().using_image(id);
  size_t names = tags.size() + store.images().repo_digests_of(id).size();
  if (by_name) {
    if (!users.empty() && names <= 1 && !force)
      throw Error("conflict: unable to remove repository reference \"" + text + "\" (must force) - container " +
                  users[0].id.substr(0, 12) + " is using its referenced image " + id.short_id());
    // Untag by name; the image goes only with its last name, and never while a container uses it.
    {
      Transaction tx(store.db());
      store.images().remove_name(ref.ref->str());
      tx.commit();
    }
    lines.push_back("Untagged: " + ref.ref->familiar_str());
    if (!store.images().tags_of(id).empty() || !store.images().repo_digests_of(id).empty() || !users.empty())
      return lines;
    Removal r = remove_image(store, id, !no_prune);
    lines.insert(lines.end(), r.lines.begin(), r.lines.end());
    return lines;
  }
  if (!store.images().children_of(id).empty())
    throw Error("conflict: unable to delete " + id.short_id() + " (cannot be forced) - image has dependent child images");
  for (const ContainerRecord& c : users) {
    bool running = c.state == "running";
    if (running || !force)
      throw Error("conflict: unable to delete " + id.short_id() + (running ? " (cannot be forced)" : " (must be forced)") +
                  " - image is being used by " + (running ? "running" : "stopped") + " container " + c.id.substr(0, 12));
  }
  if (!users.empty()) {  // forced, stopped containers: the names go, the image stays for them
    Transaction tx(store.db());
    for (const std::string& t : tags) {
      store.images().remove_name(t);
      lines.push_back("Untagged: " + parse_normalized_named_or_throw(t).familiar_str());
    }
    tx.commit();
    return lines;
  }
  if (tags.size() > 1 && !force)
    throw Error("conflict: unable to delete " + id.short_id() +
                " (must be forced) - image is referenced in multiple repositories");
  return remove_image(store, id, !no_prune).lines;
}

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "rmi");
  Store& store = ctx.store();
  int rc = 0;
  for (const std::string& name : args.positional()) {
    try {
      for (const std::string& line : remove_one(store, name, args.flag("force"), args.flag("no-prune")))
        std::cout << line << "\n";
    } catch (const Error& e) {
      std::cout.flush();
      std::cerr << "Error: " << e.what() << "\n";
      rc = 1;
    }
  }
  return rc;
}

}  // namespace

const Command kRmiCommand = {"rmi", "berth rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images",
                             {{'f', "force", false}, {0, "no-prune", false}}, run};

}  // namespace berth
