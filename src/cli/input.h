// What a command reads from its user: an archive from a named file or the
// standard input, and the answer to a confirmation question.
#pragma once

#include <string>

#include "core/fs.h"

namespace berth {

// Opens `path` for reading, or stdin when it is "" or "-".
UniqueFd open_input(const std::string& path);

// The prune commands' question: prints `warning` and Docker's "Are you sure
// you want to continue? [y/N]", and reads the answer from stdin.
bool confirmed(const std::string& warning);

}  // namespace berth
