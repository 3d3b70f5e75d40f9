// The flags users type: -p port mappings, -v and --mount specs, and commit/
// import --change instructions.
#include <string>

#include "core/error.h"
#include "core/image_config.h"
#include "dockerfile/config_changes.h"
#include "runtime/container_mounts.h"
#include "runtime/port_mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)berth::parse_port_mapping(text);
  } catch (const berth::Error&) {
  }
  try {
    (void)berth::parse_volume_flag(text);
  } catch (const berth::Error&) {
  }
  try {
    (void)berth::parse_mount_flag(text);
  } catch (const berth::Error&) {
  }
  try {
    berth::Json config = berth::Json::object();
    berth::apply_config_change(config, text);
  } catch (const berth::Error&) {
  }
  return 0;
}
