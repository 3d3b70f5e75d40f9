// Container records: which image a container runs, its writable layer, the
// settings it was created with (Docker's Config and HostConfig, as JSON), and
// its state as its monitor last recorded it (created, running, exited), and
// whether `pause` froze it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "core/image_config.h"
#include "store/database.h"

namespace berth {

struct ContainerRecord {
  std::string id;        // 64 hex digits
  std::string name;      // without Docker's leading "/"
  Digest image_id;
  std::string image;     // as the user named it ("web:1.0")
  std::string layer_id;  // its writable layer: overlay2/<layer_id>/{diff,work,merged}
  Json config = Json::object();  // {"Path", "Args", "Config", "HostConfig"}
  int64_t created = 0;   // unix nanos
  std::string state = "created";  // created | running | exited
  int pid = 0;           // the container's init, in berth's PID namespace
  int monitor_pid = 0;
  int exit_code = 0;
  int64_t started_at = 0, finished_at = 0;  // unix nanos; 0 = never
  bool paused = false;   // frozen by `pause`; its state stays "running", as Docker's does
};

// The layer below a container's writable one, beside it in overlay2/:
// Docker's "<id>-init", the mount points the runtime needs.
inline std::string init_layer_id(const std::string& layer_id) { return layer_id + "-init"; }

class ContainerStore {
 public:
  explicit ContainerStore(Database& db) : db_(db) {}

  void add(const ContainerRecord& c);  // throws Error when the name is taken
  std::optional<ContainerRecord> get(const std::string& id);
  std::vector<ContainerRecord> all();  // newest first
  // A full ID, a unique ID prefix, or a name; throws "No such container: X".
  ContainerRecord find(const std::string& ref);
  bool name_taken(const std::string& name);
  // Throws Docker's conflict error when `name` is taken.
  void check_name_free(const std::string& name);
  // Throws the conflict above when `name` is taken; one transaction.
  void rename(const std::string& id, const std::string& name);
  void set_running(const std::string& id, int pid, int monitor_pid, int64_t started_at);
  void set_exited(const std::string& id, int exit_code, int64_t finished_at);  // clears paused, as set_running does
  void set_paused(const std::string& id, bool paused);
  void set_config(const std::string& id, const Json& config);  // `update`: new resource limits
  void remove(const std::string& id);
  // The containers made from `image` (rmi refuses while there are any).
  std::vector<ContainerRecord> using_image(const Digest& image);

 private:
  Database& db_;
};

}  // namespace berth
