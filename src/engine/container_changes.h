// `diff` and the Engine API's /containers/{id}/changes: what a container's
// writable layer changed against its image, as Docker reports it — its upper
// directory walked in path order: a whiteout is a deletion, a path its image
// has is a change, any other an addition (directories included).
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct FileChange {
  enum class Kind { modified = 0, added = 1, deleted = 2 };  // moby's numbers
  std::string path;  // "/etc/hosts"
  Kind kind;
};

std::vector<FileChange> container_changes(Store& store, const std::string& container);

}  // namespace berth
