// Runs a helper program to completion: its stdin fed from a string, its
// stdout captured, its stderr passed through. For docker-credential-* helpers
// (and later the OCI runtime's short commands).
#pragma once

#include <string>
#include <vector>

namespace berth {

struct ProcessResult {
  int exit_code = 0;  // 128+N when killed by signal N
  std::string output;
};

// The executable `name` as $PATH finds it ("" when it does not); a name with
// a slash is checked as it is.
std::string find_in_path(const std::string& name);

// argv[0] is looked up in $PATH. Throws Error when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input);

}  // namespace berth
