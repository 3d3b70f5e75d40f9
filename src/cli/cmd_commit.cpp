// berth commit [-a] [-c] [-m] CONTAINER [REPOSITORY[:TAG]]: a new image from
// a container's changes.
#include <iostream>

#include "cli/command.h"
#include "core/reference.h"
#include "runtime/container_commit.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 2, "commit");
  Store& store = ctx.store();
  ContainerRecord c = store.containers().find(args.positional()[0]);
  CommitOptions options;
  options.changes = args.values("change");
  options.message = args.value("message");
  options.author = args.value("author");
  if (args.positional().size() == 2) options.tag = parse_docker_ref_or_throw(args.positional()[1]).str();
  std::cout << commit_container(store, c, options).str() << "\n";
  return 0;
}

}  // namespace

const Command kCommitCommand = {"commit", "berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
                                "Create a new image from a container's changes",
                                {{'a', "author", true}, {'c', "change", true}, {'m', "message", true}, {'p', "pause", false}},
                                run};

}  // namespace berth
