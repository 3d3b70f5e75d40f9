// berth import [-c CHANGE] [-m MESSAGE] [--platform P] FILE|- [REPOSITORY[:TAG]]
#include <iostream>

#include "image/image_importer.h"
#include "cli/command.h"
#include "cli/input.h"
#include "core/error.h"
#include "core/reference.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 2, "import");
  ImportOptions options;
  options.changes = args.values("change");
  options.message = args.value("message");
  options.platform = args.value("platform");
  const std::string& source = args.positional()[0];
  if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0)
    throw Error("import from a URL is not supported yet; download the file and import it");
  if (args.positional().size() == 2) {
    Reference r = parse_docker_ref_or_throw(args.positional()[1]);
    if (!r.digest.empty()) throw Error("import: cannot tag with a digest: " + args.positional()[1]);
    options.tag = r.str();
  }
  UniqueFd in = open_input(source);
  FdReader reader(in.get(), source == "-" ? "stdin" : source);
  Digest id = import_image(ctx.store(), reader, options);
  std::cout << id.str() << "\n";
  return 0;
}

}  // namespace

const Command kImportCommand = {
    "import", "berth import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
    "Import the contents from a tarball to create a filesystem image",
    {{'c', "change", true}, {'m', "message", true}, {0, "platform", true}}, run};

}  // namespace berth
