// Docker's `--filter KEY=VALUE` lists, as `network ls` and `volume ls` take
// them: grouped by key; the values of one key are alternatives, label=
// excepted (every one must match); different keys must all match.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

class FilterSpec {
 public:
  // Throws invalid_argument for a spec without '=' or a key not in `keys`.
  FilterSpec(const std::vector<std::string>& specs, const std::vector<std::string_view>& keys);

  // Whether `test(key, value)` passes as the rule above says.
  bool matches(const std::function<bool(const std::string& key, const std::string& value)>& test) const;

 private:
  std::map<std::string, std::vector<std::string>> by_key_;
};

}  // namespace berth
