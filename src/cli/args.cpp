#include "cli/args.h"

#include <charconv>

#include "cli/usage_error.h"

namespace berth {

Args::Args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs, bool flags_end_at_positional) {
  auto by_long = [&](const std::string& name) -> const FlagSpec* {
    for (const FlagSpec& s : specs)
      if (s.long_name == name) return &s;
    return nullptr;
  };
  auto by_short = [&](char c) -> const FlagSpec* {
    for (const FlagSpec& s : specs)
      if (s.short_name == c) return &s;
    return nullptr;
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      positional_.insert(positional_.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
      break;
    }
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), val;
      size_t eq = name.find('=');
      bool has_eq = eq != std::string::npos;
      if (has_eq) {
        val = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      const FlagSpec* s = by_long(name);
      if (!s) throw UsageError("unknown flag: --" + name);
      if (s->takes_value && !has_eq) {
        if (i + 1 >= argv.size()) throw UsageError("flag needs an argument: --" + name);
        val = argv[++i];
      } else if (!s->takes_value) {
        if (!has_eq) val = "true";
        else if (val != "true" && val != "false") throw UsageError("invalid argument \"" + val + "\" for \"--" + name + "\" flag: parse error");
      }
      values_[s->long_name].push_back(val);
    } else if (a.size() > 1 && a[0] == '-') {
      for (size_t j = 1; j < a.size(); ++j) {
        const FlagSpec* s = by_short(a[j]);
        if (!s) throw UsageError(std::string("unknown shorthand flag: '") + a[j] + "' in " + a);
        if (!s->takes_value) {
          if (j + 1 < a.size() && a[j + 1] == '=') {  // -H=false
            std::string val = a.substr(j + 2);
            if (val != "true" && val != "false") throw UsageError("invalid argument \"" + val + "\" for \"-" + a[j] + "\" flag: parse error");
            values_[s->long_name].push_back(val);
            break;
          }
          values_[s->long_name].push_back("true");
          continue;
        }
        std::string val = a.substr(j + 1);
        if (!val.empty() && val[0] == '=') val.erase(0, 1);
        if (val.empty()) {
          if (i + 1 >= argv.size()) throw UsageError(std::string("flag needs an argument: '") + a[j] + "' in -" + a[j]);
          val = argv[++i];
        }
        values_[s->long_name].push_back(val);
        break;
      }
    } else if (flags_end_at_positional) {
      positional_.insert(positional_.end(), argv.begin() + static_cast<long>(i), argv.end());
      break;
    } else {
      positional_.push_back(a);
    }
  }
}

bool Args::has(const std::string& long_name) const { return values_.count(long_name) > 0; }

bool Args::flag(const std::string& long_name) const {
  auto it = values_.find(long_name);
  return it != values_.end() && it->second.back() == "true";
}

std::string Args::value(const std::string& long_name, const std::string& fallback) const {
  auto it = values_.find(long_name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::values(const std::string& long_name) const {
  auto it = values_.find(long_name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace berth

namespace berth {
namespace {

template <typename T>
T parse_flag_number(const std::string& flag, const std::string& text, const char* go_parser) {
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size())
    throw UsageError("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: " + go_parser + ": parsing \"" + text +
                     "\": invalid syntax");
  return v;
}

}  // namespace

int64_t Args::integer(const std::string& long_name, int64_t fallback) const {
  return has(long_name) ? parse_flag_number<int64_t>(long_name, value(long_name), "strconv.ParseInt") : fallback;
}

double Args::real(const std::string& long_name, double fallback) const {
  return has(long_name) ? parse_flag_number<double>(long_name, value(long_name), "strconv.ParseFloat") : fallback;
}

}  // namespace berth
