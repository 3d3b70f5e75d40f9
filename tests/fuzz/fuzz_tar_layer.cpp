// The tar reader and the layer extractor, on any bytes: the stream is checked
// (archive/tar_blocks.h), recorded (tar-split) and extracted into a scratch
// root whose parent must stay empty — nothing may land outside the layer.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "archive/layer_extractor.h"
#include "archive/tar_split.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path base = fs::temp_directory_path() / ("berth-fuzz-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "outside");
  fs::create_directories(base / "layer");
  std::string bytes(reinterpret_cast<const char*>(data), size);
  for (auto climbing : {berth::ClimbingNames::kRefuse, berth::ClimbingNames::kClampToRoot}) {
    try {
      berth::StringReader in(bytes);
      berth::TarSplitRecorder split(in, "fuzz");
      berth::UniqueFd dir = berth::open_or_throw(base / "layer", O_RDONLY | O_DIRECTORY);
      berth::extract_layer(split, dir.get(), "fuzz", climbing);
      split.drain();
    } catch (const berth::Error&) {
    }
    if (!fs::is_empty(base / "outside") || fs::exists(base / "escaped")) std::abort();  // written outside the layer
    fs::remove_all(base / "layer");
    fs::create_directories(base / "layer");
  }
  return 0;
}
