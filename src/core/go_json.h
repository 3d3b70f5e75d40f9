// JSON as Go's encoding/json writes it, which Docker's clients and scripts
// see byte for byte: <, > and & escaped inside strings.
#pragma once

#include <string>

namespace berth {

// Escapes <, > and & in serialised JSON as Go's encoder does (\u003c …); they can
// only occur inside strings, so a plain replacement is exact.
std::string go_escape_html(const std::string& json);

}  // namespace berth
