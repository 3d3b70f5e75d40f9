// The conformance vectors in tests/conformance (or $BERTH_CONFORMANCE_DIR),
// read by the unit tests.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/image_config.h"

namespace berth::testing {

inline std::string conformance_path(const std::string& rel) {
  const char* env = std::getenv("BERTH_CONFORMANCE_DIR");
  return std::string(env && *env ? env : BERTH_CONFORMANCE_DIR) + "/" + rel;
}

inline std::string read_conformance(const std::string& rel) {
  std::ifstream in(conformance_path(rel), std::ios::binary);
  if (!in) throw std::runtime_error("missing conformance file " + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Json conformance_json(const std::string& rel) { return Json::parse(read_conformance(rel)); }

}  // namespace berth::testing
