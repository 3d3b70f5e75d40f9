// What every front end needs to reach a registry: which registries may be
// reached over plain HTTP (flags plus /etc/berth/config.json's
// "insecure-registries", the key of Docker's daemon.json), and a client for a
// reference's registry with the credentials the caller has for it — the
// CLI's from config.json, the Engine API's from X-Registry-Auth.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "registry/credentials.h"
#include "registry/registry_client.h"

namespace berth {

// `from_flags` plus the config file's list; $BERTH_CONFIG names another file.
std::vector<std::string> insecure_registries(const std::vector<std::string>& from_flags);

std::unique_ptr<RegistryClient> registry_client(const std::string& domain, const std::vector<std::string>& insecure,
                                                std::optional<Credentials> credentials);

// The config.json key of a registry's credentials.
std::string credentials_key_of(const std::string& domain, const std::vector<std::string>& insecure);

}  // namespace berth
