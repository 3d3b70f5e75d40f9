// berth rmi [-f] [--no-prune] IMAGE...: untag, and delete what is left unnamed.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "engine/images.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "rmi");
  Store& store = ctx.store();
  int rc = 0;
  for (const std::string& name : args.positional()) {
    try {
      RemoveImageOptions options{args.flag("force"), !args.flag("no-prune")};
      for (const std::string& line : remove_image(store, name, options).lines)
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
