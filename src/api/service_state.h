// What every endpoint of one `berth system service` shares: the store root
// (each request opens the store for itself, as a CLI command does) and the
// registries it may reach over plain HTTP.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace berth {

struct ServiceState {
  std::filesystem::path root;
  std::vector<std::string> insecure_registries;  // --insecure-registry and /etc/berth/config.json
};

}  // namespace berth
