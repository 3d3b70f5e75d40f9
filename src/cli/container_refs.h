// Commands that act on several containers (stop, kill, rm, start) as Docker
// does: each one in turn, its name echoed on success, an error line for each
// failure, and exit status 1 if any failed.
#pragma once

#include <functional>
#include <string>

#include "cli/args.h"

namespace berth {

int for_each_container(const Args& args, const std::function<void(const std::string& ref)>& act);

}  // namespace berth
