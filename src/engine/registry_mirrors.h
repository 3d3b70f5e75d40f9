// Registry mirrors: where a pull looks before the registry an image is named
// by. Two sources, as users already write them:
// - /etc/berth/config.json "registry-mirrors" (the key of Docker's
//   daemon.json): URLs tried, in order, for Docker Hub's images;
// - containers-registries.conf(5) ($BERTH_REGISTRIES_CONF, else
//   /etc/containers/registries.conf): a [[registry]] (matched by its prefix,
//   else its location) and its [[registry.mirror]] tables, in order, each with
//   pull-from-mirror = "all" | "digest-only" | "tag-only" — for any registry.
// A mirror that is down or lacks the image is one warning, and the next is
// tried; the registry itself comes last. With digest-only a tag is never
// resolved through the mirror (a mirror cannot move what a tag means).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/reference.h"
#include "registry/credentials.h"
#include "registry/image_puller.h"
#include "registry/registry_client.h"
#include "store/store.h"

namespace berth {

struct RegistryMirror {
  std::string domain;      // host[:port]
  std::string repository;  // the image's repository there
  bool plain_http = false;  // http://, or insecure = true
  bool digest_only = false, tag_only = false;
  std::string name;  // as configured, for messages
};

// registries.conf's registries and their mirrors (the subset of TOML it uses).
// Throws Error (naming the line) for what it cannot read.
struct MirroredRegistry {
  std::string prefix;  // what a reference must start with (prefix, else location)
  std::vector<RegistryMirror> mirrors;  // repository holds the mirror's path prefix, if any
  bool digest_only_mirrors = false;     // mirror-by-digest-only = true
};
std::vector<MirroredRegistry> parse_registries_conf(const std::string& text);

// The mirrors for `ref`, in the order to try them; those that may not serve
// it (digest-only for a tag, tag-only for a digest) left out.
std::vector<RegistryMirror> mirrors_for(const Reference& ref, const std::vector<std::string>& docker_hub_mirrors,
                                        const std::vector<MirroredRegistry>& registries);
// The same from the configuration files.
std::vector<RegistryMirror> configured_mirrors_for(const Reference& ref);

using RegistryClientFor = std::function<std::unique_ptr<RegistryClient>(const std::string& domain, bool plain_http)>;

// The clients a pull through mirrors asks for, over HTTPS unless `insecure`
// lists the registry (or the mirror says plain HTTP); `credentials` go to
// `origin` only, never to a mirror.
RegistryClientFor clients_for_pull(std::vector<std::string> insecure, std::string origin,
                                   std::optional<Credentials> credentials);

// pull_image through the configured mirrors, then from the registry itself.
PullResult pull_via_mirrors(Store& store, const Reference& ref, PullOptions options, const RegistryClientFor& client_for,
                            const ProgressFn& progress, const std::function<void(const std::string&)>& warn);

}  // namespace berth
