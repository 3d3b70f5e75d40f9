// ASCII white space, as Go's strings.TrimSpace sees it in the files and
// headers berth reads (" \t\n\v\f\r"; a UTF-8 byte is never space here).
#pragma once

#include <string>
#include <string_view>

namespace berth {

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

inline std::string trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace berth
