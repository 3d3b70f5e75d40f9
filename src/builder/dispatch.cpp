#include <fcntl.h>

#include "builder/build_args.h"
#include "builder/buildkit_history.h"
#include "builder/dispatchers.h"
#include "core/ascii_case.h"
#include "core/fs.h"
#include "dockerfile/config_instructions.h"
#include "runtime/container_user.h"

namespace berth {
namespace {

// A config-only step. `edit` applies it and returns its history line (BuildKit's; "": none).
template <typename Edit>
void config_step(BuildSession& session, StageState& st, const Instruction& in, Edit edit) {
  std::string key = session.cache_key(st, "nop " + in.original);
  if (session.use_cache(st, key)) return;
  std::string created_by = edit();
  if (!created_by.empty() && session.use_cache_from(st, created_by, key)) return;
  session.commit(st, StepCommit::config_only(created_by, key));
}

// ARG in a stage: a --build-arg, else its default, else a meta ARG of that
// name declared before the first FROM, else an automatic platform arg.
// Returns its history line.
std::string declare_stage_args(BuildSession& session, StageState& st, const Instruction& in) {
  const BuildPlan& plan = session.plan();
  std::vector<std::pair<std::string, std::optional<std::string>>> declared;
  for (const std::string& word : in.args) {
    DeclaredArg a = declare_arg(word, session.lookup(st), session.options().build_args, plan.word_lexer());
    if (a.from_build_arg) session.consume_build_arg(a.name);
    // Declared again without a default: it keeps the value it has (BuildKit's).
    if (!a.value)
      if (auto it = st.args.find(a.name); it != st.args.end()) a.value = it->second;
    if (!a.value && plan.meta_declared.contains(a.name))
      if (auto it = plan.meta_values.find(a.name); it != plan.meta_values.end()) a.value = it->second;
    if (!a.value)
      if (auto it = platform_args().find(a.name); it != platform_args().end()) a.value = it->second;
    st.args[a.name] = a.value.value_or("");
    st.arg_order.push_back(a.name);
    declared.emplace_back(a.name, a.written_default);
  }
  return arg_history_line(declared);
}

// WORKDIR makes its directory when the image lacks it. Its step always has a
// layer, empty when the directory was there (BuildKit's; the classic builder
// makes none then).
void dispatch_workdir(BuildSession& session, StageState& st, const Instruction& in) {
  std::string key = session.cache_key(st, "workdir " + in.original);
  if (session.use_cache(st, key)) return;
  apply_config_instruction(st.config(), in, session.lookup(st), session.plan().word_lexer());
  std::string dir = st.config().value("WorkingDir", "/");
  std::string created_by = workdir_history_line(dir);
  if (session.use_cache_from(st, created_by, key)) return;
  WorkingLayer layer(st.run->store, st.top);
  UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string rel = resolve_beneath(root.get(), clean_path(dir).substr(1));
  if (open_beneath(root.get(), rel, O_RDONLY | O_DIRECTORY).get() >= 0) {
    session.commit(st, StepCommit::with_layer(created_by, layer, key, "WORKDIR " + dir));
    return;
  }
  // BuildKit makes them as the stage's USER (the classic builder as root;
  // berth follows BuildKit: docs/build.md). A user the image does not know: root.
  ContainerUser owner;
  if (std::string user = st.config().value("User", ""); !user.empty()) {
    try {
      owner = resolve_container_user(layer.merged(), user);
    } catch (const Error&) {
    }
  }
  // BuildKit's MkdirAll walks the path as written: "/a/b/../c" makes a/b too.
  for (size_t at = dir.find("/.."); at != std::string::npos; at = dir.find("/..", at + 3))
    if (at + 3 == dir.size() || dir[at + 3] == '/')
      make_directories_beneath(root.get(), resolve_beneath(root.get(), clean_path(dir.substr(0, at)).substr(1)),
                               owner.uid, owner.gid);
  make_directories_beneath(root.get(), rel, owner.uid, owner.gid);
  session.commit(st, StepCommit::with_layer(created_by, layer, key, "WORKDIR " + dir));
}

}  // namespace

void dispatch(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage) {
  const Instruction& in = c.instruction;
  const std::string& k = in.keyword;
  check_supported(c);
  if (k == "arg") {
    std::string line = declare_stage_args(session, st, in);  // in scope even when the step is cached
    config_step(session, st, in, [&] { return line; });
  } else if (k == "maintainer") {
    config_step(session, st, in, [&] {
      st.doc["author"] = in.args.empty() ? "" : in.args[0];
      return config_history_line(in, nullptr, st.config(), session.plan().escape);
    });
  } else if (k == "workdir") {
    dispatch_workdir(session, st, in);
  } else if (is_config_instruction(k)) {
    config_step(session, st, in, [&] {
      EnvLookup env = session.lookup(st);
      apply_config_instruction(st.config(), in, env, session.plan().word_lexer());
      if (k == "cmd") st.cmd_set = true;
      if (k == "entrypoint" && !st.cmd_set) st.config()["Cmd"] = Json();
      return config_history_line(in, env, st.config(), session.plan().escape);
    });
  } else if (k == "run") {
    dispatch_run(session, st, c, stage);
  } else if (k == "copy" || k == "add") {
    dispatch_copy(session, st, c, stage);
  } else if (k == "from") {
    throw Error("FROM is not allowed here");
  } else {
    throw Error("unknown instruction: " + ascii_upper(k));
  }
}

}  // namespace berth
