// berth rmi [-f] [--no-prune] IMAGE...: untag, and delete what is left unnamed.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/image_removal.h"
#include "core/reference.h"

namespace berth {
namespace {

// One argument; throws with docker's messages on conflicts.
std::vector<std::string> remove_one(Store& store, const std::string& text, bool force) {
  Digest id = store.images().resolve(text);
  std::vector<std::string> tags = store.images().tags_of(id);
  std::vector<std::string> lines;
  ReferenceResult ref = parse_docker_ref(text);
  bool by_name = ref.ref && store.images().by_name(ref.ref->str()) == id;
  if (by_name) {
    // Untag by name; the image goes only with its last name.
    {
      Transaction tx(store.db());
      store.images().remove_name(ref.ref->str());
      tx.commit();
    }
    lines.push_back("Untagged: " + ref.ref->familiar_str());
    if (!store.images().tags_of(id).empty() || !store.images().repo_digests_of(id).empty()) return lines;
    Removal r = remove_image(store, id);
    lines.insert(lines.end(), r.lines.begin(), r.lines.end());
    return lines;
  }
  if (tags.size() > 1 && !force)
    throw Error("conflict: unable to delete " + id.short_id() +
                " (must be forced) - image is referenced in multiple repositories");
  return remove_image(store, id).lines;
}

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "rmi");
  Store& store = ctx.store();
  int rc = 0;
  for (const std::string& name : args.positional()) {
    try {
      for (const std::string& line : remove_one(store, name, args.flag("force"))) std::cout << line << "\n";
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
