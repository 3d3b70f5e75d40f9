// berth's own version, as `berth --version` and the Engine API's /version say it.
#pragma once

namespace berth {

inline constexpr const char* kBerthVersion = "0.1.0";

}  // namespace berth
