#include "engine/filter_spec.h"

#include <algorithm>

#include "core/error.h"

namespace berth {

FilterSpec::FilterSpec(const std::vector<std::string>& specs, const std::vector<std::string_view>& keys) {
  for (const std::string& f : specs) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) throw invalid_argument("bad format of filter (expected name=value)");
    std::string key = f.substr(0, eq);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) throw invalid_argument("invalid filter '" + key + "'");
    by_key_[key].push_back(f.substr(eq + 1));
  }
}

bool FilterSpec::matches(const std::function<bool(const std::string& key, const std::string& value)>& test) const {
  for (const auto& entry : by_key_) {
    const std::string& key = entry.first;
    auto pass = [&](const std::string& v) { return test(key, v); };
    const std::vector<std::string>& values = entry.second;
    if (key == "label" ? !std::all_of(values.begin(), values.end(), pass) : std::none_of(values.begin(), values.end(), pass))
      return false;
  }
  return true;
}

}  // namespace berth
