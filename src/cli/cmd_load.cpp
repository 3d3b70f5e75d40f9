// berth load [-i FILE] [-q]: images from a `docker save` or OCI archive.
#include <iostream>

#include "image/image_loader.h"
#include "cli/command.h"
#include "core/error.h"
#include "cli/input.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "load");
  UniqueFd in = open_input(args.value("input"));
  LoadReport report = load_images(ctx.store(), in.get());
  if (!args.flag("quiet"))
    for (const std::string& line : report.lines) std::cout << line << "\n";
  return 0;
}

}  // namespace

const Command kLoadCommand = {
    "load", "berth load [OPTIONS]", "Load an image from a tar archive or STDIN",
    {{'i', "input", true}, {'q', "quiet", false}}, run};

}  // namespace berth
