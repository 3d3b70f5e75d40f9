#include "dockerfile/instructions.h"

#include <map>
#include <set>

#include "core/ascii_case.h"
#include "core/key_value_list.h"

namespace berth {
namespace {

// The flags each instruction takes, and those Docker's builders take that
// berth does not (refused as unsupported rather than unknown).
struct FlagTable {
  std::set<std::string> taken, unsupported;
};
const FlagTable& flags_of(const std::string& keyword) {
  static const std::map<std::string, FlagTable> kTables = {
      {"from", {{"platform"}, {}}},
      {"run", {{"mount", "network"}, {"security"}}},
      {"copy", {{"from", "chown", "chmod", "link", "parents", "exclude"}, {}}},
      {"add", {{"chown", "chmod", "link", "keep-git-dir", "exclude"}, {"checksum", "unpack"}}},
      {"healthcheck", {{"interval", "timeout", "start-period", "start-interval", "retries"}, {}}},
  };
  static const FlagTable kNone;
  auto it = kTables.find(keyword);
  return it == kTables.end() ? kNone : it->second;
}

// One flag, "--name=value" or "--name", split.
struct Flag {
  std::string name;
  std::optional<std::string> value;
};
Flag split_flag(const std::string& word) {
  std::string body = word.starts_with("--") ? word.substr(2) : word;
  size_t eq = body.find('=');
  if (eq == std::string::npos) return {body, std::nullopt};
  return {body.substr(0, eq), body.substr(eq + 1)};
}

std::string value_of(const Flag& f) {
  if (!f.value) throw Error("missing a value on flag: " + f.name);
  return *f.value;
}

bool bool_of(const Flag& f) {
  if (!f.value || *f.value == "true") return true;
  if (*f.value == "false") return false;
  throw Error("expecting boolean value for flag " + f.name + ", not: " + *f.value);
}

void set_once(std::optional<std::string>& slot, const Flag& f) {
  if (slot) throw Error("duplicate flag specified: " + f.name);
  slot = value_of(f);
}

RunFlags run_flags(const std::vector<Flag>& flags) {
  RunFlags out;
  for (const Flag& f : flags) {
    if (f.name == "mount") out.mounts.push_back(parse_run_mount(value_of(f)));
    else set_once(out.network, f);
  }
  if (out.network && *out.network != "default" && *out.network != "host" && *out.network != "none")
    throw Error("RUN --network=" + *out.network + ": use default, host or none");
  return out;
}

CopyFlags copy_flags(const std::vector<Flag>& flags) {
  CopyFlags out;
  for (const Flag& f : flags) {
    if (f.name == "from") set_once(out.from, f);
    else if (f.name == "chown") set_once(out.chown, f);
    else if (f.name == "chmod") set_once(out.chmod, f);
    else if (f.name == "keep-git-dir") out.keep_git_dir = bool_of(f);
    else if (f.name == "parents") out.parents = bool_of(f);
    else if (f.name == "exclude") out.excludes.push_back(value_of(f));
    else out.link = bool_of(f);
  }
  return out;
}

}  // namespace

RunMount parse_run_mount(const std::string& spec) {
  RunMount m;
  m.spec = spec;
  std::map<std::string, std::string> kv;
  for (const auto& [k, v] : parse_key_value_list(spec)) kv[k] = v;
  auto field = [&](std::initializer_list<const char*> names) -> std::string {
    for (const char* n : names)
      if (auto it = kv.find(n); it != kv.end()) return it->second;
    return "";
  };
  if (kv.count("type")) m.type = kv["type"];
  m.target = field({"target", "dst", "destination"});
  m.source = field({"source", "src"});
  if (kv.count("from")) m.from = kv["from"];
  m.id = kv["id"];
  if (m.type == "cache" && m.id.empty()) m.id = m.target;
  if (m.type == "secret" && m.target.empty() && !m.id.empty()) m.target = "/run/secrets/" + m.id;
  if (m.type == "ssh" && m.id.empty()) m.id = "default";
  if (m.type == "ssh" && m.target.empty()) m.target = "/run/buildkit/ssh_agent.0";  // BuildKit's place
  m.required = kv.count("required") && key_value_true(kv["required"]);
  m.read_write = kv.count("rw") || kv.count("readwrite");
  return m;
}

void check_run_mount(const RunMount& m) {
  if (m.type == "bind") {
    if (m.target.empty()) throw Error("RUN --mount=type=bind needs a target");
    if (m.read_write) throw Error("RUN --mount=type=bind,rw is not supported: binds are read-only");
  } else if (m.type == "cache") {
    if (m.target.empty()) throw Error("RUN --mount=type=cache needs a target");
  } else if (m.type == "secret") {
    if (m.id.empty()) throw Error("RUN --mount=type=secret needs an id");
  } else if (m.type != "ssh") {
    throw Error("RUN --mount=type=" + m.type + " is not supported (bind, cache, secret and ssh are)");
  }
}

void check_supported(const TypedInstruction& in) {
  if (!in.unsupported.empty())
    throw Error(ascii_upper(in.keyword()) + " --" + in.unsupported[0] + " is not supported");
}

TypedInstruction type_instruction(Instruction in) {
  TypedInstruction c;
  try {
    const FlagTable& table = flags_of(in.keyword);
    std::vector<Flag> flags;
    for (const std::string& word : in.flags) {
      Flag f = split_flag(word);
      if (table.unsupported.contains(f.name)) {
        c.unsupported.push_back(f.name);
        continue;
      }
      if (!table.taken.contains(f.name)) throw Error("unknown flag: " + f.name);
      flags.push_back(f);
    }
    if (in.keyword == "from") {
      FromFlags from;
      for (const Flag& f : flags) set_once(from.platform, f);
      c.flags = from;
    } else if (in.keyword == "run") {
      c.flags = run_flags(flags);
    } else if (in.keyword == "copy" || in.keyword == "add") {
      c.flags = copy_flags(flags);
    }
  } catch (const DockerfileError&) {
    throw;
  } catch (const Error& e) {
    throw DockerfileError(e.what(), in.start_line);
  }
  c.instruction = std::move(in);
  return c;
}

std::vector<TypedInstruction> type_instructions(Dockerfile&& file) {
  std::vector<TypedInstruction> out;
  out.reserve(file.instructions.size());
  for (Instruction& in : file.instructions) out.push_back(type_instruction(std::move(in)));
  return out;
}

}  // namespace berth
