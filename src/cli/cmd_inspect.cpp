// berth inspect [--type container|image] [-f FORMAT] NAME|ID...: containers
// first, then images, as docker inspect looks them up.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "runtime/container_inspect.h"
#include "store/image_inspect.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "inspect");
  std::string type = args.value("type", "");
  if (!type.empty() && type != "image" && type != "container")
    throw Error("\"" + type + "\" is not a valid value for --type");
  Store& store = ctx.store();
  std::string format = args.value("format");
  Json all = Json::array();
  std::string missing;
  for (const std::string& name : args.positional()) {
    if (type != "image") {
      try {
        all.push_back(inspect_container(store, store.containers().find(name)));
        continue;
      } catch (const Error&) {
        // not a container: an image, perhaps
      }
    }
    std::optional<Digest> id = type == "container" ? std::nullopt : store.images().try_resolve(name);
    if (!id) {
      missing = name;
      continue;
    }
    all.push_back(inspect_image(store, *id));
  }
  if (format.empty()) {
    std::cout << (all.empty() ? "[]" : go_escape_html(all.dump(4, ' ', false, Json::error_handler_t::replace))) << "\n";
  } else {
    GoTemplate tmpl(format);
    for (const Json& item : all) std::cout << tmpl.render(item) << "\n";
  }
  if (!missing.empty()) {
    std::cout.flush();
    std::cerr << "Error: No such object: " << missing << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

const Command kInspectCommand = {
    "inspect", "berth inspect [OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on containers and images",
    {{'f', "format", true}, {0, "type", true}, {'s', "size", false}}, run};

}  // namespace berth
