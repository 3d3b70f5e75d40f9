// The events log: what `events` and the Engine API's /events report. Every
// berth process appends to <root>/events.log — the CLI, the service, a
// container's monitor (start, die) — one JSON line per event in moby's
// events.Message shape, written with one write(2) on an O_APPEND descriptor so
// lines from concurrent processes never interleave. At 16 MiB the log moves
// to events.log.1 (one old generation kept), as Docker keeps a bounded buffer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/fs.h"
#include "core/image_config.h"
#include "store/container_store.h"

namespace berth {

// Never throws: an event that cannot be written is lost, not the command.
void record_event(const std::filesystem::path& root, const std::string& type, const std::string& action,
                  const std::string& actor_id, const Json& attributes);

// Container events carry the image and name, and the container's labels.
void record_container_event(const std::filesystem::path& root, const ContainerRecord& c, const std::string& action,
                            Json extra_attributes = Json::object());

// Reads the log from where the last call stopped (the old generation first,
// on the first call): whole lines only.
class EventLogReader {
 public:
  explicit EventLogReader(std::filesystem::path root) : root_(std::move(root)) {}
  std::vector<Json> read_new();
  // Only what is appended from now on (a wait that wants the next die).
  void skip_to_end();

 private:
  std::filesystem::path root_;
  bool started_ = false;
  UniqueFd fd_;
  ino_t inode_ = 0;
  std::string carry_;
};

}  // namespace berth
