// `--format`: the Go-template engine, parsing any text and rendering it over
// an inspect-like document.
#include <string>

#include "cli/go_template.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::ordered_json dot = nlohmann::ordered_json::parse(
      R"({"Id":"sha256:ab","RepoTags":["a:1","b:2"],"Config":{"Env":["A=1"],"Labels":{"k":"v"},"Cmd":null},
          "Size":12,"Os":"linux","Nested":{"List":[{"X":1},{"X":"y"}]}})");
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    berth::GoTemplate t(text);
    (void)t.render(dot);
  } catch (const berth::Error&) {
  }
  return 0;
}
