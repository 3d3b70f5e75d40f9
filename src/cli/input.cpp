#include "cli/input.h"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "core/error.h"

namespace berth {

UniqueFd open_input(const std::string& path) {
  if (path.empty() || path == "-") {
    if (::isatty(STDIN_FILENO)) throw Error("requested load from stdin, but stdin is empty");
    return UniqueFd(::dup(STDIN_FILENO));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("open " + path);
  return UniqueFd(fd);
}

bool confirmed(const std::string& warning) {
  std::cout << warning << "\nAre you sure you want to continue? [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

Json key_value_flags(const std::vector<std::string>& pairs) {
  Json out = Json::object();
  for (const std::string& p : pairs) {
    size_t eq = p.find('=');
    out[p.substr(0, eq)] = eq == std::string::npos ? "" : p.substr(eq + 1);
  }
  return out;
}

}  // namespace berth
