// berth version [-f FORMAT]: the client and the engine — one program here,
// so both sections describe berth; the Server section reads as `docker
// version` prints it from the Engine API's /version.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/go_template.h"
#include "core/platform.h"
#include "engine/system_info.h"

namespace berth {
namespace {

// docker's tabwriter (minimum width 20, padding 1) for one "label:\tvalue" line.
void row(const std::string& label, const std::string& value) {
  std::printf("%-20s%s\n", label.c_str(), value.c_str());
}

// The template data the docker CLI gives --format: Go's field names.
Json template_data(const Json& v) {
  const Json& engine = v["Components"][0]["Details"];
  Json server = {{"Platform", v["Platform"]},
                 {"Components", v["Components"]},
                 {"Version", v["Version"]},
                 {"APIVersion", v["ApiVersion"]},
                 {"MinAPIVersion", v["MinAPIVersion"]},
                 {"GitCommit", v["GitCommit"]},
                 {"GoVersion", v["GoVersion"]},
                 {"Os", v["Os"]},
                 {"Arch", v["Arch"]},
                 {"KernelVersion", v["KernelVersion"]},
                 {"Experimental", engine["Experimental"] == "true"},
                 {"BuildTime", v["BuildTime"]}};
  Json client = {{"Platform", v["Platform"]}, {"Version", v["Version"]}, {"APIVersion", v["ApiVersion"]},
                 {"DefaultAPIVersion", v["ApiVersion"]}, {"Os", v["Os"]}, {"Arch", v["Arch"]},
                 {"Experimental", false}, {"Context", "default"}};
  return {{"Client", client}, {"Server", server}};
}

int run(Context&, const Args& args) {
  require_args(args, 0, 0, "version");
  Json v = engine_version();
  if (std::string format = args.value("format"); !format.empty()) {
    std::cout << GoTemplate(format).render(template_data(v)) << "\n";
    return 0;
  }
  const Json& d = v["Components"][0]["Details"];
  auto str = [](const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); };
  std::cout << "Client: berth\n";
  row(" Version:", str(v["Version"]));
  row(" API version:", str(v["ApiVersion"]));
  row(" OS/Arch:", str(v["Os"]) + "/" + str(v["Arch"]));
  row(" Context:", "default");
  row(" Experimental:", "false");
  std::cout << "\nServer: berth\n Engine:\n";
  row("  Version:", str(v["Version"]));
  row("  API version:", str(d["ApiVersion"]) + " (minimum version " + str(d["MinAPIVersion"]) + ")");
  row("  Go version:", str(d["GoVersion"]));
  row("  Git commit:", str(d["GitCommit"]));
  row("  Built:", str(d["BuildTime"]));
  row("  OS/Arch:", str(d["Os"]) + "/" + str(d["Arch"]));
  row("  Experimental:", str(d["Experimental"]));
  return 0;
}

}  // namespace

const Command kVersionCommand = {"version", "berth version [OPTIONS]", "Show the berth version information",
                                 {{'f', "format", true}}, run};

}  // namespace berth
