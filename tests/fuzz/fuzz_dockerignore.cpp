// .dockerignore: the patterns (the input's first line-separated half) matched
// against paths (the rest), with exceptions, ** and character classes.
#include <string>

#include "builder/dockerignore.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t split = text.find('\0');
  std::string patterns = text.substr(0, split), paths = split == std::string::npos ? "a/b" : text.substr(split + 1);
  try {
    berth::DockerIgnore ignore(patterns);
    for (size_t at = 0; at <= paths.size();) {
      size_t end = paths.find('\n', at);
      if (end == std::string::npos) end = paths.size();
      (void)ignore.excluded(paths.substr(at, end - at));
      at = end + 1;
    }
  } catch (const berth::Error&) {
  }
  return 0;
}
