#include "engine/berth_config.h"

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

Json read_berth_config() {
  const char* env = std::getenv("BERTH_CONFIG");
  std::filesystem::path path = env && *env ? env : "/etc/berth/config.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Json::object();
  Json j = Json::parse(read_file(path), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(path.string() + ": not a JSON object");
  return j;
}

SyncMode configured_sync_mode() {
  Json j = read_berth_config();
  if (!j.contains("sync")) return SyncMode::normal;
  if (!j["sync"].is_string()) throw invalid_argument("config \"sync\": full or normal");
  return parse_sync_mode(j["sync"].get<std::string>());
}

}  // namespace berth
