// berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]
#include "cli/command.h"
#include "engine/images.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "tag");
  tag_image(ctx.store(), args.positional()[0], args.positional()[1]);
  return 0;
}

}  // namespace

const Command kTagCommand = {"tag", "berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                             "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", {}, run};

}  // namespace berth
