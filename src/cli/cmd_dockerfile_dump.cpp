// berth dockerfile-dump [FILE|-]: a debugging aid, hidden from --help. Prints a
// Dockerfile's parse in BuildKit's Node.Dump() format (one "(…)" line per
// instruction), so a parse can be compared with BuildKit's byte for byte, or
// its error as `docker build` words it (with the line).
#include <fcntl.h>

#include <iostream>

#include "dockerfile/dockerfile_parser.h"
#include "cli/command.h"
#include "core/fs.h"

namespace berth {
namespace {

int run(Context&, const Args& args) {
  require_args(args, 0, 1, "dockerfile-dump");
  std::string path = args.positional().empty() ? "Dockerfile" : args.positional()[0];
  std::string text;
  if (path == "-") {
    char buf[65536];
    for (ssize_t n; (n = ::read(0, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  } else {
    text = read_file(path);
  }
  try {
    Dockerfile f = parse_dockerfile(text);
    for (const std::string& w : f.warnings) std::cerr << "warning: " << w << "\n";
    std::cout << f.dump();
  } catch (const DockerfileError& e) {
    std::string where = e.line > 0 ? "dockerfile parse error on line " + std::to_string(e.line) + ": " : "";
    throw Error(where + e.what());
  }
  return 0;
}

}  // namespace

const Command kDockerfileDumpCommand = {"dockerfile-dump", "berth dockerfile-dump [FILE|-]",
                                        "Internal: print a Dockerfile's parse as BuildKit's Node.Dump()", {}, run,
                                        false, true};

}  // namespace berth
