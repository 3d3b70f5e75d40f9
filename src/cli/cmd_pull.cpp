// berth pull [OPTIONS] NAME[:TAG|@DIGEST]: an image from a registry.
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "cli/progress_printer.h"
#include "cli/registry_access.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "registry/image_puller.h"

namespace berth {
namespace {

void pull_one(Context& ctx, const Reference& ref, const PullOptions& options, bool quiet) {
  ProgressPrinter out(std::cout, ::isatty(1), quiet);
  pull_with_progress(ctx, ref, options, out);
}

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "pull");
  const std::string& text = args.positional()[0];
  Reference ref = parse_normalized_named_or_throw(text);
  bool quiet = args.flag("quiet");
  PullOptions options = pull_options(args);
  if (args.has("max-concurrent-downloads")) {
    options.max_concurrent_downloads = static_cast<int>(args.integer("max-concurrent-downloads", 0));
    if (options.max_concurrent_downloads < 1) throw UsageError("--max-concurrent-downloads must be at least 1");
  }
  if (args.flag("all-tags")) {
    if (!ref.tag.empty() || !ref.digest.empty()) throw UsageError("tag can't be used with --all-tags/-a");
    for (const std::string& tag : registry_client(ctx, ref.domain)->list_tags(ref.path)) {
      Reference r = ref;
      r.tag = tag;
      pull_one(ctx, r, options, quiet);
    }
    std::cout << ref.name() << "\n";
    return 0;
  }
  if (ref.tag.empty() && ref.digest.empty()) {
    ref.tag = "latest";
    if (!quiet) std::cout << "Using default tag: latest\n";
  }
  if (ref.tag == "latest" && ref.digest.empty())
    std::cerr << "Warning: \"latest\" moves; pull by digest (" << ref.familiar_name()
              << "@sha256:...) for a reproducible result\n";
  // A digest pins the content; the tag beside it is only a label, as in Docker.
  if (!ref.digest.empty()) ref.tag.clear();
  pull_one(ctx, ref, options, quiet);
  std::cout << ref.str() << "\n";
  return 0;
}

}  // namespace

const Command kPullCommand = {"pull",
                              "berth pull [OPTIONS] NAME[:TAG|@DIGEST]",
                              "Download an image from a registry",
                              {{'a', "all-tags", false},
                               {'q', "quiet", false},
                               {0, "platform", true},
                               {0, "max-concurrent-downloads", true},
                               {0, "disable-content-trust", false}},
                              run};

}  // namespace berth
