// The one place that names a container's files. Everything a container has
// on disk lives in <root>/containers/<id>/ (docs/architecture.md §3); the
// runtime's own state of every container is under <root>/runtime.
#pragma once

#include <filesystem>
#include <string>

#include "core/fs.h"
#include "store/store.h"

namespace berth {

struct ContainerPaths {
  ContainerPaths(const Store& store, const std::string& id) : dir(store.container_dir(id)), id_(id) {}

  std::filesystem::path dir;
  std::filesystem::path bundle() const { return dir; }  // config.json beside the rest, as Docker's
  std::filesystem::path spec() const { return dir / "config.json"; }
  std::filesystem::path log() const { return dir / (id_ + "-json.log"); }  // Docker's json-file log
  std::filesystem::path runtime_log() const { return dir / "runtime.log"; }
  std::filesystem::path init_pid_file() const { return dir / "init.pid"; }
  std::filesystem::path netns() const { return dir / "netns"; }
  std::filesystem::path attach_socket() const { return dir / "attach.sock"; }
  std::filesystem::path hostname() const { return dir / "hostname"; }
  std::filesystem::path hosts() const { return dir / "hosts"; }
  std::filesystem::path resolv_conf() const { return dir / "resolv.conf"; }

 private:
  std::string id_;
};

// Where the OCI runtime keeps its state of berth's containers and build steps.
inline std::filesystem::path runtime_state_dir(const std::filesystem::path& store_root) {
  return store_root / "runtime";
}

// The container's json-file log, opened for reading (logs, attach); an
// empty UniqueFd when there is none yet (never started).
UniqueFd open_container_log(const Store& store, const std::string& id);

}  // namespace berth
