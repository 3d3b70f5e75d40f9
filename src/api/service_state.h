// What every endpoint of one `berth system service` shares: the store root
// (each request opens the store for itself, as a CLI command does, on a pooled
// SQLite connection: store/connection_pool.h), the
// registries it may reach over plain HTTP, and its exec instances.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "api/exec_sessions.h"

namespace berth {

struct ServiceState {
  std::filesystem::path root;
  std::vector<std::string> insecure_registries;  // --insecure-registry and /etc/berth/config.json
  std::shared_ptr<ExecSessions> execs = std::make_shared<ExecSessions>();
};

}  // namespace berth
