// berth push [OPTIONS] NAME[:TAG]: an image to a registry.
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "cli/progress_printer.h"
#include "cli/registry_access.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "registry/image_pusher.h"

namespace berth {
namespace {

void push_one(Context& ctx, RegistryClient& client, const Reference& ref, bool quiet) {
  std::optional<Digest> id = ctx.store().images().by_name(ref.str());
  if (!id) throw Error("An image does not exist locally with the tag: " + ref.familiar_name());
  ProgressPrinter out(std::cout, ::isatty(1), quiet);
  PushResult r = push_image(ctx.store(), client, ref, *id, PushOptions{}, out.callback());
  out.line(ref.tag + ": digest: " + r.digest.str() + " size: " + std::to_string(r.size));
}

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "push");
  Reference ref = parse_normalized_named_or_throw(args.positional()[0]);
  if (!ref.digest.empty()) throw UsageError("cannot push a digest reference");
  bool quiet = args.flag("quiet");
  std::vector<Reference> refs;
  if (args.flag("all-tags")) {
    if (!ref.tag.empty()) throw UsageError("tag can't be used with --all-tags/-a");
    for (const std::string& name : ctx.store().images().tag_names()) {
      Reference r = parse_normalized_named_or_throw(name);
      if (r.name() == ref.name()) refs.push_back(r);
    }
    if (refs.empty()) throw Error("An image does not exist locally with the tag: " + ref.familiar_name());
  } else {
    if (ref.tag.empty()) {
      ref.tag = "latest";
      if (!quiet) std::cout << "Using default tag: latest\n";
    }
    refs.push_back(ref);
  }
  std::unique_ptr<RegistryClient> client = registry_client(ctx, ref.domain);
  if (!quiet) std::cout << "The push refers to repository [" << ref.name() << "]\n";
  for (const Reference& r : refs) push_one(ctx, *client, r, quiet);
  if (quiet) std::cout << (args.flag("all-tags") ? ref.name() : ref.str()) << "\n";
  return 0;
}

}  // namespace

const Command kPushCommand = {"push",
                              "berth push [OPTIONS] NAME[:TAG]",
                              "Upload an image to a registry",
                              {{'a', "all-tags", false}, {'q', "quiet", false}, {0, "disable-content-trust", false}},
                              run};

}  // namespace berth
