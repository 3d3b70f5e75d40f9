// berth logout [SERVER]: forgets a registry's credentials (config.json or
// the credential helper that holds them).
#include <iostream>

#include "cli/command.h"
#include "cli/registry_access.h"
#include "engine/registry_access.h"
#include "registry/credentials.h"

namespace berth {
namespace {

int logout(Context& ctx, const Args& args) {
  require_args(args, 0, 1, "logout");
  std::string key = credentials_key(args.positional().empty() ? "docker.io" : args.positional()[0]);
  DockerConfig config(DockerConfig::default_path());
  if (!config.erase(key)) {
    std::cout << "Not logged in to " << domain_of_credentials_key(key) << "\n";
    return 0;
  }
  std::cout << "Removing login credentials for " << domain_of_credentials_key(key) << "\n";
  return 0;
}

}  // namespace

const Command kLogoutCommand = {"logout", "berth logout [SERVER]", "Log out from a registry", {}, logout};

}  // namespace berth
