// Manifests, indexes and image configs (Docker's and OCI's), and the checks a
// pulled or loaded manifest must pass: JSON from anyone.
#include <string>

#include "core/error.h"
#include "core/image_config.h"
#include "core/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    berth::Manifest m = berth::parse_manifest(text, "fuzz");
    berth::check_image_manifest(m, "fuzz");
  } catch (const berth::Error&) {
  }
  try {
    (void)berth::parse_index(text, "fuzz");
  } catch (const berth::Error&) {
  }
  try {
    (void)berth::ImageConfig::parse(text, "fuzz");
  } catch (const berth::Error&) {
  }
  return 0;
}
