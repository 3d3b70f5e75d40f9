// What a command reads from its user: an archive from a named file or the
// standard input, the answer to a confirmation question, KEY=VALUE flags.
#pragma once

#include <cstdint>
#include <string>

#include <vector>

#include "core/fs.h"
#include "core/image_config.h"

namespace berth {

// Opens `path` for reading, or stdin when it is "" or "-".
UniqueFd open_input(const std::string& path);

// The prune commands' question: prints `warning` and Docker's "Are you sure
// you want to continue? [y/N]", and reads the answer from stdin.
bool confirmed(const std::string& warning);

// Repeated KEY=VALUE flags (--label, -o) as a JSON object; a bare KEY is "".
Json key_value_flags(const std::vector<std::string>& pairs);

// --memory as run and update take it: "64m", "1g", "512k", bytes; Docker's units (binary).
int64_t parse_memory_size(const std::string& text);

}  // namespace berth
