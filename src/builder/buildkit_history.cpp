#include "builder/buildkit_history.h"

#include <algorithm>
#include <cstdio>

#include "core/timestamp.h"
#include "dockerfile/config_instructions.h"

namespace berth {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Go's %v of a []string: [a b c].
std::string go_list(const std::vector<std::string>& words) { return "[" + joined(words) + "]"; }

std::vector<std::string> strings_of(const Json& words) {
  std::vector<std::string> out;
  if (words.is_array())
    for (const Json& w : words) out.push_back(w.is_string() ? w.get<std::string>() : w.dump());
  return out;
}

// Go's %q of an int: the rune it is, quoted ('\x03' for HEALTHCHECK --retries=3).
std::string go_quoted_rune(int64_t r) {
  switch (r) {
    case '\a': return "'\\a'";
    case '\b': return "'\\b'";
    case '\f': return "'\\f'";
    case '\n': return "'\\n'";
    case '\r': return "'\\r'";
    case '\t': return "'\\t'";
    case '\v': return "'\\v'";
    case '\'': return "'\\''";
    case '\\': return "'\\\\'";
    default: break;
  }
  char buf[32];
  if (r >= 0x20 && r < 0x7f) std::snprintf(buf, sizeof buf, "'%c'", static_cast<char>(r));
  else if (r >= 0 && r < 0x80) std::snprintf(buf, sizeof buf, "'\\x%02x'", static_cast<unsigned>(r));
  else std::snprintf(buf, sizeof buf, "'\\u%04llx'", static_cast<unsigned long long>(r & 0xffff));
  return buf;
}

// %q of BuildKit's HealthConfig pointer: &{Test Interval Timeout StartPeriod Retries}.
std::string healthcheck_line(const Json& check) {
  auto duration = [&](const char* name) { return go_quote(format_go_duration(check.value(name, int64_t{0}))); };
  return "&{" + go_quoted_list(check.value("Test", Json::array())) + " " + duration("Interval") + " " +
         duration("Timeout") + " " + duration("StartPeriod") + " " + go_quoted_rune(check.value("Retries", int64_t{0})) +
         "}";
}

// ENV's and LABEL's pairs, expanded: " k=v" each, unquoted.
std::string pairs_line(const Instruction& in, const ShellLexer& lexer, const EnvLookup& env) {
  std::string out;
  for (size_t i = 0; i + 1 < in.args.size(); i += 3)
    out += " " + lexer.process_word(in.args[i], env) + "=" + lexer.process_word(in.args[i + 1], env);
  return out;
}

// EXPOSE's ports as nat.ParsePortSpecs gives them, printed as a Go map: keys sorted.
std::string expose_line(const Instruction& in, const ShellLexer& lexer, const EnvLookup& env) {
  Json ports = Json::object();
  for (const std::string& a : in.args) {
    Json one = {{"ExposedPorts", Json::object()}};
    Instruction single;
    single.keyword = "expose";
    single.args = {lexer.process_word(a, env)};
    apply_config_instruction(one, single, nullptr);
    for (const auto& [port, _] : one["ExposedPorts"].items()) ports[port] = Json::object();
  }
  std::vector<std::string> keys;
  for (const auto& [port, _] : ports.items()) keys.push_back(port + ":{}");
  std::sort(keys.begin(), keys.end());
  return "map" + go_list(keys);
}

}  // namespace

std::string go_quoted_list(const Json& words) {
  std::vector<std::string> quoted;
  for (const std::string& w : strings_of(words)) quoted.push_back(go_quote(w));
  return go_list(quoted);
}

std::string config_history_line(const Instruction& in, const EnvLookup& env, const Json& config_after, char escape) {
  ShellLexer lexer;
  lexer.escape = escape;
  const std::string& k = in.keyword;
  if (k == "env") return "ENV" + pairs_line(in, lexer, env);
  if (k == "label") return "LABEL" + pairs_line(in, lexer, env);
  if (k == "expose") return "EXPOSE " + expose_line(in, lexer, env);
  if (k == "volume") {
    std::vector<std::string> volumes;
    for (const std::string& a : in.args) volumes.push_back(lexer.process_word(a, env));
    return "VOLUME " + go_list(volumes);
  }
  if (k == "user") return "USER " + config_after.value("User", "");
  if (k == "stopsignal") return "STOPSIGNAL " + config_after.value("StopSignal", "");
  if (k == "cmd") return "CMD " + go_quoted_list(config_after.value("Cmd", Json::array()));
  if (k == "entrypoint") return "ENTRYPOINT " + go_quoted_list(config_after.value("Entrypoint", Json::array()));
  if (k == "shell") return "SHELL " + go_list(strings_of(config_after.value("Shell", Json::array())));
  if (k == "healthcheck") return "HEALTHCHECK " + healthcheck_line(config_after.value("Healthcheck", Json::object()));
  if (k == "maintainer") return "MAINTAINER " + (in.args.empty() ? std::string() : in.args[0]);
  if (k == "workdir") return workdir_history_line(config_after.value("WorkingDir", ""));
  return "";  // ONBUILD
}

std::string arg_history_line(const std::vector<std::pair<std::string, std::optional<std::string>>>& declared) {
  std::string out = "ARG";
  for (const auto& [name, value] : declared) out += " " + name + (value ? "=" + *value : "");
  return out;
}

std::string workdir_history_line(const std::string& working_dir) { return "WORKDIR " + working_dir; }

std::string run_history_line(const std::vector<std::pair<std::string, std::string>>& args_in_order,
                             const std::vector<std::string>& command) {
  std::string line = "RUN ";
  if (!args_in_order.empty()) {
    line += "|" + std::to_string(args_in_order.size());
    for (const auto& [k, v] : args_in_order) line += " " + k + "=" + v;
    line += " ";
  }
  return line + joined(command) + " # buildkit";
}

std::string copy_history_line(const std::string& name, const std::vector<std::string>& sources, const std::string& dest) {
  return name + " " + joined(sources) + " " + dest + " # buildkit";
}

}  // namespace berth
