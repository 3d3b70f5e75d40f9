// `load` of any bytes: a `docker save` archive's manifest.json or an OCI
// layout's index.json, configs, descriptors and layers, into a scratch store
// (the same one each time: what one input loaded is there for the next, as
// layers the store already has are a path of their own). Nothing may land
// outside the store's directory.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/byte_reader.h"
#include "core/error.h"
#include "image/image_loader.h"
#include "store/store.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path base = fs::temp_directory_path() / ("berth-fuzz-load-" + std::to_string(::getpid()));
  static bool made = [] {
    fs::remove_all(base);
    fs::create_directories(base / "outside");
    return true;
  }();
  (void)made;
  static berth::Store store(base / "store");
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    berth::StringReader in(bytes);
    berth::load_images(store, in);
  } catch (const berth::Error&) {
  }
  if (!fs::is_empty(base / "outside")) std::abort();  // written outside the store
  return 0;
}
