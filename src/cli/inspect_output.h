// What every `X inspect NAME...` prints: the objects found, as an indented
// JSON array (HTML escaped as Go writes it) or through -f FORMAT, then
// Docker's "Error: No such X: NAME" for the last name not found (exit 1).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/image_config.h"

namespace berth {

// `lookup` returns a name's object or throws not_found.
int print_inspected(const std::vector<std::string>& names, const std::string& format, const std::string& kind,
                    const std::function<Json(const std::string&)>& lookup);

}  // namespace berth
