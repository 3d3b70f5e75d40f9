#include "core/key_value_list.h"

namespace berth {

std::vector<std::pair<std::string, std::string>> parse_key_value_list(const std::string& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string field = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = field.find('=');
    if (!field.empty()) out.emplace_back(field.substr(0, eq), eq == std::string::npos ? "" : field.substr(eq + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace berth
