// The names a container's embedded resolver (network/dns_resolver.h)
// answers: the running containers on the networks this one is on, read from
// the store at each query (a container started a moment ago is found), by
// container name, alias, short ID and NAME.NETWORK.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "network/dns_resolver.h"
#include "network/resolv_conf.h"

namespace berth {

// Names as seen by container `id`, from the store's database at `db`.
DnsNames container_dns_names(const std::filesystem::path& db, const std::string& id);

// Binds the resolver in the container's namespace; the caller starts it.
std::unique_ptr<DnsResolver> make_container_resolver(const std::filesystem::path& db, const std::string& id,
                                                     const std::filesystem::path& netns, const DnsSettings& dns);

}  // namespace berth
