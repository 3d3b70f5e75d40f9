// Command-line flags the way docker's (pflag) reads them: -q, --quiet,
// -i FILE, -iFILE, --input FILE, --input=FILE, bundled -aq, repeatable
// --filter, "--" to end flags; unknown flags are an error.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace berth {

struct FlagSpec {
  char short_name;        // 0 when none
  std::string long_name;
  bool takes_value;
};

class Args {
 public:
  // Throws UsageError on an unknown flag or a missing value. With
  // `flags_end_at_positional` (run, exec), everything from the first
  // positional argument on is positional: the container's command line.
  Args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs, bool flags_end_at_positional = false);

  bool has(const std::string& long_name) const;
  bool flag(const std::string& long_name) const;  // a boolean flag's value
  std::string value(const std::string& long_name, const std::string& fallback = "") const;
  std::vector<std::string> values(const std::string& long_name) const;
  // A numeric flag's value, or `fallback` when absent; UsageError (pflag's
  // words) when it is not a number.
  int64_t integer(const std::string& long_name, int64_t fallback) const;
  double real(const std::string& long_name, double fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace berth
