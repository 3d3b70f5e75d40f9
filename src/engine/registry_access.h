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

// A `login`/`logout` SERVER argument as config.json keys it: scheme and path
// dropped ("https://localhost:5000/v2/" -> "localhost:5000"); Docker Hub's
// names -> "https://index.docker.io/v1/".
std::string credentials_key(const std::string& server);
// The registry a config.json key names ("https://index.docker.io/v1/" -> "docker.io").
std::string domain_of_credentials_key(const std::string& key);

// `login` (and the API's /auth): the credentials checked against the registry
// SERVER names. Throws Error (unauthorized: "incorrect username or password").
void check_registry_login(const std::string& server, const Credentials& credentials,
                          const std::vector<std::string>& insecure);

}  // namespace berth
