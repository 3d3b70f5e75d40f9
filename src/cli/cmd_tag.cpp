// berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]
#include "cli/command.h"
#include "core/error.h"
#include "core/reference.h"
#include "core/timestamp.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "tag");
  Reference target = parse_docker_ref_or_throw(args.positional()[1]);
  if (!target.digest.empty()) throw Error("refusing to create a tag with a digest reference");
  Store& store = ctx.store();
  Digest id = store.images().resolve(args.positional()[0]);
  Transaction tx(store.db());
  store.images().set_tag(target.str(), id, unix_now());
  store.images().touch_last_tag_time(id, now_unix_nanos());
  tx.commit();
  return 0;
}

}  // namespace

const Command kTagCommand = {"tag", "berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                             "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", {}, run};

}  // namespace berth
