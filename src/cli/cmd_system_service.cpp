// berth system service [--time SECONDS] [--group G] [unix:///PATH | tcp://HOST:PORT]: the Engine API for
// Docker's clients (DOCKER_HOST=unix:///run/berth.sock). docs/api.md.
#include <iostream>

#include "api/api_service.h"
#include "api/archive_endpoints.h"
#include "api/build_endpoint.h"
#include "api/container_endpoints.h"
#include "api/container_stats_endpoints.h"
#include "api/exec_endpoints.h"
#include "api/image_endpoints.h"
#include "api/image_transfer_endpoints.h"
#include "api/network_endpoints.h"
#include "api/volume_endpoints.h"
#include "api/system_endpoints.h"
#include "cli/command.h"
#include "engine/background_sync.h"

namespace berth {
namespace {

int run_service(Context& ctx, const Args& args) {
  require_args(args, 0, 1, "system service");
  ServiceOptions options;
  if (!args.positional().empty()) options.address = args.positional()[0];
  options.idle_seconds = static_cast<int>(args.integer("time", options.idle_seconds));
  if (options.idle_seconds < 0) throw invalid_argument("--time must not be negative");
  options.group = args.value("group");
  options.allow_non_loopback = args.flag("allow-non-loopback");
  options.after_each_request = [root = ctx.root()] { start_background_sync(root); };
  ApiRouter router;
  add_system_endpoints(router, ctx.root());
  add_image_endpoints(router, ctx.root());
  add_container_stats_endpoints(router, ctx.root());
  add_network_endpoints(router, ctx.root());
  add_volume_endpoints(router, ctx.root());
  add_archive_endpoints(router, ctx.root());
  ServiceState state{.root = ctx.root(), .insecure_registries = ctx.insecure_registries};
  add_image_transfer_endpoints(router, state);
  add_build_endpoint(router, state);
  add_container_endpoints(router, state);
  add_exec_endpoints(router, state);
  serve_api(options, router);
  return 0;
}

}  // namespace

const Command kSystemServiceCommand = {"system service", "berth system service [OPTIONS] [unix:///PATH | tcp://127.0.0.1:PORT]",
                                       "Serve the Docker Engine API on a socket (until idle for --time seconds)",
                                       {{'t', "time", true}, {0, "group", true}, {0, "allow-non-loopback", false}},
                                       run_service};

}  // namespace berth
