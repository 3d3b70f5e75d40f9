#include "api/stdcopy.h"

#include <cstdint>

namespace berth {

std::string stdcopy_frame(StdStream stream, std::string_view payload) {
  uint32_t n = static_cast<uint32_t>(payload.size());
  std::string frame = {static_cast<char>(stream), 0, 0, 0, static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                       static_cast<char>(n >> 8), static_cast<char>(n)};
  frame.append(payload);
  return frame;
}

}  // namespace berth
