// Named volumes (`volume create|ls|inspect|rm|prune` and the Engine API's
// /volumes): Docker's local driver, a directory <root>/volumes/NAME/_data
// beside NAME/volume.json with its creation time, labels and options. A
// volume a container mounts (running or not) is in use: removing it is a
// conflict, as in Docker. Anonymous volumes are named by 64 hex digits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

struct Volume {
  std::string name;
  std::filesystem::path mountpoint;  // its _data directory
  int64_t created = 0;               // unix nanos
  // As Docker shows them: objects for a volume `volume create` made, null
  // for one -v or --mount made.
  Json labels = nullptr, options = nullptr;
};

struct VolumeCreateOptions {
  std::string name;  // "" = 64 random hex digits, as Docker's anonymous volumes
  std::string driver = "local";
  Json labels = Json::object(), options = Json::object();
};

// Creating a volume that exists returns it unchanged, as Docker does.
Volume create_volume(Store& store, const VolumeCreateOptions& options);

// By name; with `filters` (KEY=VALUE: name substring, label KEY or KEY=VALUE,
// driver, dangling) those that match. Throws for an unknown key.
std::vector<Volume> list_volumes(Store& store, const std::vector<std::string>& filters = {});

// Throws not_found("get NAME: no such volume").
Volume find_volume(Store& store, const std::string& name);

// Docker's volume object: CreatedAt, Driver, Labels, Mountpoint, Name, Options, Scope.
Json inspect_volume(const Volume& v);

// The IDs of the containers that mount it.
std::vector<std::string> containers_using_volume(Store& store, const std::string& name);

// Throws conflict ("remove NAME: volume is in use - [ID]") for a volume a
// container mounts, not_found for a missing one (which `rm -f` ignores).
void remove_volume(Store& store, const std::string& name);

struct VolumePrune {
  std::vector<std::string> names;
  int64_t reclaimed = 0;
};

// Every volume no container mounts (Docker 20.10's rule, named ones included).
VolumePrune prune_volumes(Store& store, const std::vector<std::string>& filters = {});

}  // namespace berth
