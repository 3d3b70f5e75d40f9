// `create` (and the first half of `run`): a container record from an image
// and the user's options, merged by Docker's rules — ENTRYPOINT and CMD with
// --entrypoint and trailing arguments, the image's Env then -e, USER then -u,
// WORKDIR then -w — plus its writable layer and its directory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct ContainerOptions {
  std::string image;  // as the user named it
  std::optional<std::vector<std::string>> entrypoint;  // --entrypoint ("" clears it)
  std::vector<std::string> args;                        // after the image name
  std::vector<std::string> env;                         // -e / --env-file, KEY=VALUE or KEY
  std::optional<std::string> user, workdir, hostname, stop_signal;
  std::string name;  // "" = generated
  std::string network = "default";  // default | bridge | none | host | container:NAME | a network's name
  std::vector<std::string> network_aliases;  // --network-alias (user-defined networks only)
  std::string ip;                            // --ip
  std::string mac_address;                   // --mac-address
  std::vector<std::string> dns, dns_search, dns_options;  // --dns, --dns-search, --dns-option
  std::vector<std::string> extra_hosts;                   // --add-host NAME:IP (or host-gateway)
  bool auto_remove = false, privileged = false, read_only = false, tty = false, open_stdin = false;
  bool init = false;  // --init: tini as PID 1, reaping and forwarding signals
  std::vector<std::string> cap_add, cap_drop;
  std::vector<std::string> security_opt;  // runtime_spec.h apply_security_options
  int64_t memory = 0, nano_cpus = 0, pids_limit = 0;
  std::string runtime;  // "" = OciRuntime::default_binary()
  Json port_bindings = Json::object();  // Docker's HostConfig.PortBindings
  Json mounts = Json::array();          // from -v, --mount, --tmpfs (runtime/container_mounts.h)
  bool publish_all = false;
  std::vector<std::string> labels;  // -l KEY=VALUE, over the image's labels
};

// Docker's container names: [a-zA-Z0-9][a-zA-Z0-9_.-]+, a leading "/" allowed.
void check_container_name(const std::string& name);

// Checks the options (name, runtime, addresses) before anything is made.
void validate_container_options(const ContainerOptions& o);

// Makes the container (record, layer, directory) from an image in the store,
// all or nothing. Returns the new record.
ContainerRecord create_container(Store& store, const Digest& image_id, const ContainerOptions& o);

// Removes a container that is not running: its layer, directory and record,
// and with `volumes` its anonymous volumes.
void remove_container(Store& store, const ContainerRecord& c, bool volumes = false);

// The binary --init runs (Debian's tini-static); "" when none is installed.
std::string init_binary();

// Docker's random names: "admiring_turing".
std::string generate_container_name(Store& store);

}  // namespace berth
