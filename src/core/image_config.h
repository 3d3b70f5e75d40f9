// The image config (Docker image spec v1.2 / OCI config): the JSON whose sha256
// is the image ID. The original bytes are kept as they came and never
// re-serialised; `doc` is a parsed view for reading fields, unknown ones kept.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/digest.h"

namespace berth {

using Json = nlohmann::ordered_json;

// A container config (an image's "config", or an Engine API create request)
// with Docker's types: Env a list of strings, Labels strings, Tty a boolean, ….
// Throws invalid_argument naming the first field that is not.
void check_container_config_types(const Json& config);

struct ImageConfig {
  std::string raw;  // the bytes whose sha256 is the image ID
  Json doc;
  std::vector<Digest> diff_ids;

  // Throws Error naming `what` when the bytes are not a usable image config.
  static ImageConfig parse(std::string raw, const std::string& what);

  Digest id() const { return Digest::of(raw); }
  std::string str(const char* key) const;  // top-level string field or ""
};

// Chain IDs as Docker's layer store defines them: chain(0) = diff(0),
// chain(n) = sha256(chain(n-1) + " " + diff(n)).
std::vector<Digest> chain_ids(const std::vector<Digest>& diff_ids);

}  // namespace berth
