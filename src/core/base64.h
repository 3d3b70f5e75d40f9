// Standard base64 (RFC 4648, with padding), as HTTP Basic auth and Docker's
// config.json "auth" fields use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace berth
