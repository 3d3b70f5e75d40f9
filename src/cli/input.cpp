#include "cli/input.h"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "cli/usage_error.h"
#include "core/error.h"
#include "core/number.h"

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

int64_t parse_memory_size(const std::string& s) {
  if (s.empty()) return 0;
  size_t pos = s.find_first_not_of("0123456789.");
  if (pos == std::string::npos) pos = s.size();
  std::optional<double> number = try_parse_double(s.substr(0, pos));
  if (!number) throw UsageError("invalid size: '" + s + "'");
  double v = *number;
  std::string unit = s.substr(pos);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double mul = unit.empty() || unit == "b" ? 1 : unit == "k" || unit == "kb" ? 1024.0
               : unit == "m" || unit == "mb" ? 1024.0 * 1024 : unit == "g" || unit == "gb" ? 1024.0 * 1024 * 1024 : -1;
  if (mul < 0) throw UsageError("invalid size: '" + s + "'");
  return static_cast<int64_t>(v * mul);
}

}  // namespace berth
