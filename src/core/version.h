// berth's own version, as `berth --version` and the Engine API's /version say
// it, and the Engine API version it speaks.
#pragma once

namespace berth {

inline constexpr const char* kBerthVersion = "0.1.0";

// The Docker Engine API berth serves (`system service`) and the oldest a client may ask for.
inline constexpr const char* kApiVersion = "1.41";
inline constexpr const char* kMinApiVersion = "1.24";

}  // namespace berth
