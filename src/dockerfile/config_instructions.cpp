#include "dockerfile/config_instructions.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/ascii_case.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json_members.h"
#include "core/number.h"
#include "core/timestamp.h"

namespace berth {
namespace {

// WORKDIR: an absolute path is kept as written ("/app/" stays), a relative one
// continues the current one, path.Join("/", base, p) — as both of Docker's builders do.
std::string workdir_after(const std::string& base, const std::string& p) {
  return p.starts_with("/") ? p : clean_path("/" + base + "/" + p);
}

// CMD, ENTRYPOINT and HEALTHCHECK CMD: the exec form as written, the shell
// form through the current SHELL (default /bin/sh -c).
Json command_of(const Json& config, const std::vector<std::string>& args, bool json_form) {
  if (json_form) return Json(args);
  Json cmd = config.contains("Shell") && config["Shell"].is_array() && !config["Shell"].empty()
                 ? config["Shell"]
                 : Json::array({"/bin/sh", "-c"});
  cmd.push_back(args.empty() ? "" : args[0]);
  return cmd;
}

// EXPOSE 80, 80/udp, 8000-8002/tcp: each port as "N/proto".
void expose(Json& config, const std::string& spec) {
  std::string range = spec, proto = "tcp";
  if (size_t slash = spec.find('/'); slash != std::string::npos) {
    range = spec.substr(0, slash);
    proto = spec.substr(slash + 1);
  }
  proto = ascii_lower(proto);
  auto number = [&](const std::string& n) {
    std::optional<uint64_t> port = n.size() <= 5 ? try_parse_uint(n) : std::nullopt;
    if (!port || *port > 65535) throw Error("invalid containerPort: " + range);
    return static_cast<int>(*port);
  };
  if (proto != "tcp" && proto != "udp" && proto != "sctp") throw Error("invalid proto: " + proto);
  size_t dash = range.find('-');
  int low = number(range.substr(0, dash));
  int high = dash == std::string::npos ? low : number(range.substr(dash + 1));
  if (high < low) throw Error("invalid range specified for container port: " + range);
  if (!config.contains("ExposedPorts") || !config["ExposedPorts"].is_object()) config["ExposedPorts"] = Json::object();
  for (int p = low; p <= high; ++p) config["ExposedPorts"][std::to_string(p) + "/" + proto] = Json::object();
}

void healthcheck(Json& config, const Instruction& in) {
  if (in.args.empty()) throw Error("HEALTHCHECK requires an argument");
  std::string type = ascii_upper(in.args[0]);
  Json check = Json::object();
  if (type == "NONE") {
    if (in.args.size() > 1) throw Error("HEALTHCHECK NONE takes no arguments");
    if (!in.flags.empty()) throw Error("HEALTHCHECK NONE takes no options");
    config["Healthcheck"] = {{"Test", {"NONE"}}};
    return;
  }
  if (type != "CMD") throw Error("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
  std::vector<std::string> rest(in.args.begin() + 1, in.args.end());
  Json test = Json::array({in.json_form ? "CMD" : "CMD-SHELL"});
  for (const std::string& a : rest) test.push_back(a);
  check["Test"] = test;
  for (const std::string& f : in.flags) {
    size_t eq = f.find('=');
    std::string name = f.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value = eq == std::string::npos ? "" : f.substr(eq + 1);
    static const std::map<std::string, std::string> kDurations = {
        {"interval", "Interval"}, {"timeout", "Timeout"}, {"start-period", "StartPeriod"}, {"start-interval", "StartInterval"}};
    if (auto it = kDurations.find(name); it != kDurations.end()) {
      int64_t ns = parse_go_duration(value);
      if (ns != 0 && ns < 1000000) throw Error(it->second + " in HEALTHCHECK cannot be less than 1ms");
      if (ns != 0) check[it->second] = ns;
    } else if (name == "retries") {
      std::optional<int64_t> retries = try_parse_int(value);
      if (!retries || *retries > INT32_MAX || *retries < INT32_MIN) throw Error("invalid value for --retries: " + value);
      if (*retries < 0) throw Error("--retries cannot be negative (" + value + ")");
      if (*retries) check["Retries"] = *retries;
    } else {
      throw Error("Unknown flag: " + name);
    }
  }
  config["Healthcheck"] = check;
}

}  // namespace

bool is_config_instruction(const std::string& k) {
  static const std::set<std::string> kConfig = {"env",   "label", "expose", "volume", "user",        "workdir", "stopsignal",
                                                "cmd",   "entrypoint", "shell", "healthcheck", "onbuild"};
  return kConfig.contains(k);
}

EnvLookup env_of(const Json& config) {
  std::map<std::string, std::string> env;
  if (config.contains("Env") && config["Env"].is_array())
    for (const Json& e : config["Env"]) {
      std::string s = e.get<std::string>();
      env[s.substr(0, s.find('='))] = s.find('=') == std::string::npos ? "" : s.substr(s.find('=') + 1);
    }
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

void set_env(Json& config, const std::string& name, const std::string& value) {
  if (!config.contains("Env") || !config["Env"].is_array()) config["Env"] = Json::array();
  std::string prefix = name + "=";
  for (Json& e : config["Env"])
    if (e.get<std::string>().rfind(prefix, 0) == 0 || e.get<std::string>() == name) {
      e = prefix + value;
      return;
    }
  config["Env"].push_back(prefix + value);
}

void apply_config_instruction(Json& config, const Instruction& in, const EnvLookup& env, const ShellLexer& lexer) {
  auto word = [&](const std::string& s) { return lexer.process_word(s, env); };
  const std::string& k = in.keyword;
  std::string name = ascii_upper(k);
  auto single = [&]() -> std::string {
    if (in.args.size() != 1 || in.args[0].empty()) throw Error(name + " requires exactly one argument");
    return word(in.args[0]);
  };
  if (k == "env" || k == "label") {
    if (in.args.empty()) throw Error(name + " requires at least one argument");
    // All words are expanded before any is set: ENV A=1 B=$A sees the old A.
    std::vector<std::pair<std::string, std::string>> pairs;
    for (size_t i = 0; i + 1 < in.args.size(); i += 3)  // key, value, separator
      pairs.emplace_back(word(in.args[i]), word(in.args[i + 1]));
    for (const auto& [key, value] : pairs) {
      if (key.empty()) throw Error(name + " names cannot be empty");
      if (k == "env") {
        set_env(config, key, value);
      } else {
        if (!config.contains("Labels") || !config["Labels"].is_object()) config["Labels"] = Json::object();
        config["Labels"][key] = value;
      }
    }
  } else if (k == "expose") {
    if (in.args.empty()) throw Error("EXPOSE requires at least one argument");
    for (const std::string& a : in.args) expose(config, word(a));
  } else if (k == "volume") {
    if (in.args.empty()) throw Error("VOLUME requires at least one argument");
    if (!config.contains("Volumes") || !config["Volumes"].is_object()) config["Volumes"] = Json::object();
    for (const std::string& a : in.args) {
      std::string v = word(a);
      if (v.empty()) throw Error("VOLUME specified can not be an empty string");
      config["Volumes"][v] = Json::object();
    }
  } else if (k == "user") {
    config["User"] = single();
  } else if (k == "workdir") {
    config["WorkingDir"] = workdir_after(string_member(config, "WorkingDir"), single());
  } else if (k == "stopsignal") {
    config["StopSignal"] = single();
  } else if (k == "cmd") {
    config["Cmd"] = command_of(config, in.args, in.json_form);
  } else if (k == "entrypoint") {
    config["Entrypoint"] = command_of(config, in.args, in.json_form);
  } else if (k == "shell") {
    if (!in.json_form) throw Error("SHELL requires the arguments to be in JSON form");
    if (in.args.empty()) throw Error("SHELL requires at least one argument");
    config["Shell"] = in.args;
  } else if (k == "healthcheck") {
    healthcheck(config, in);
  } else if (k == "onbuild") {
    if (!in.sub) throw Error("ONBUILD requires at least one argument");
    std::string trigger = ascii_upper(in.sub->keyword);
    if (trigger == "ONBUILD") throw Error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    if (trigger == "FROM" || trigger == "MAINTAINER") throw Error(trigger + " isn't allowed as an ONBUILD trigger");
    // Stored as written after the keyword, as Docker does.
    std::string original = in.original;
    size_t at = original.find_first_not_of(" \t");
    at = original.find_first_of(" \t", at);
    at = original.find_first_not_of(" \t", at);
    if (!config.contains("OnBuild") || !config["OnBuild"].is_array()) config["OnBuild"] = Json::array();
    config["OnBuild"].push_back(at == std::string::npos ? "" : original.substr(at));
  } else {
    throw Error(name + " does not edit an image's config");
  }
}

}  // namespace berth
