// Docker's multiplexed stream (moby's pkg/stdcopy): what logs, attach and
// exec send for a container without a TTY. Each frame is one byte naming the
// stream (0 stdin, 1 stdout, 2 stderr), three zero bytes, the payload's size
// as a big-endian uint32, then the payload.
#pragma once

#include <string>
#include <string_view>

namespace berth {

enum class StdStream { in = 0, out = 1, err = 2 };

std::string stdcopy_frame(StdStream stream, std::string_view payload);

}  // namespace berth
