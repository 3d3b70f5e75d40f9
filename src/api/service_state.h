// What every endpoint of one `berth system service` shares: the store root
// (each request opens the store for itself, as a CLI command does, on a pooled
// SQLite connection: store/connection_pool.h), the
// registries it may reach over plain HTTP, its exec instances, the stdin
// of attach connections waiting for their container to start, and the
// terminals it relays (for resize).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "api/attached_stdins.h"
#include "api/attached_terminals.h"
#include "api/exec_sessions.h"

namespace berth {

struct ServiceState {
  std::filesystem::path root;
  std::vector<std::string> insecure_registries;  // --insecure-registry and /etc/berth/config.json
  std::shared_ptr<ExecSessions> execs = std::make_shared<ExecSessions>();
  std::shared_ptr<AttachedStdins> stdins = std::make_shared<AttachedStdins>();
  std::shared_ptr<AttachedTerminals> terminals = std::make_shared<AttachedTerminals>();
};

}  // namespace berth
