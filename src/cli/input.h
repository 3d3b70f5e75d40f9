// Where a command's archive comes from or goes to: a named file, or the
// standard streams (refusing to write binary data to a terminal, as docker).
#pragma once

#include <string>

#include "core/fs.h"

namespace berth {

// Opens `path` for reading, or stdin when it is "" or "-".
UniqueFd open_input(const std::string& path);

}  // namespace berth
