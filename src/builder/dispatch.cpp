#include <fcntl.h>

#include "builder/build_args.h"
#include "builder/dispatchers.h"
#include "core/ascii_case.h"
#include "core/fs.h"
#include "dockerfile/config_instructions.h"
#include "runtime/container_user.h"

namespace berth {
namespace {

// A config-only step: Docker records "/bin/sh -c #(nop)  INSTRUCTION".
template <typename Edit>
void config_step(BuildSession& session, StageState& st, const Instruction& in, Edit edit) {
  std::string created_by = "/bin/sh -c #(nop)  " + in.original.substr(in.original.find_first_not_of(" \t"));
  std::string key = session.cache_key(st, "nop " + in.original);
  if (session.use_cache(st, key)) return;
  edit();
  if (session.use_cache_from(st, created_by, key)) return;
  session.commit(st, StepCommit::config_only(created_by, key));
}

// ARG in a stage: a --build-arg, else its default, else a meta ARG of that
// name declared before the first FROM, else an automatic platform arg.
void declare_stage_args(BuildSession& session, StageState& st, const Instruction& in) {
  const BuildPlan& plan = session.plan();
  for (const std::string& word : in.args) {
    DeclaredArg a = declare_arg(word, session.lookup(st), session.options().build_args, plan.escape);
    if (a.from_build_arg) session.consume_build_arg(a.name);
    if (!a.value && plan.meta_declared.contains(a.name))
      if (auto it = plan.meta_values.find(a.name); it != plan.meta_values.end()) a.value = it->second;
    if (!a.value)
      if (auto it = platform_args().find(a.name); it != platform_args().end()) a.value = it->second;
    st.args[a.name] = a.value.value_or("");
  }
}

// WORKDIR also makes its directory when the image lacks it: then the step has a layer.
void dispatch_workdir(BuildSession& session, StageState& st, const Instruction& in) {
  std::string key = session.cache_key(st, "nop " + in.original);
  if (session.use_cache(st, key)) return;
  apply_config_instruction(st.config(), in, session.lookup(st), session.plan().escape);
  std::string created_by = "/bin/sh -c #(nop) WORKDIR " + st.config().value("WorkingDir", "");
  if (session.use_cache_from(st, created_by, key)) return;
  WorkingLayer layer(st.run->store, st.top);
  std::string dir = st.config().value("WorkingDir", "/");
  UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string rel = resolve_beneath(root.get(), dir.substr(1));
  if (open_beneath(root.get(), rel, O_RDONLY | O_DIRECTORY).get() >= 0) {
    session.commit(st, StepCommit::config_only(created_by, key));
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
  make_directories_beneath(root.get(), rel, owner.uid, owner.gid);
  session.commit(st, StepCommit::with_layer(created_by, layer, key, "WORKDIR " + dir));
}

}  // namespace

void dispatch(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage) {
  const Instruction& in = c.instruction;
  const std::string& k = in.keyword;
  check_supported(c);
  if (k == "arg") {
    declare_stage_args(session, st, in);
    config_step(session, st, in, [] {});
  } else if (k == "maintainer") {
    config_step(session, st, in, [&] { st.doc["author"] = in.args.empty() ? "" : in.args[0]; });
  } else if (k == "workdir") {
    dispatch_workdir(session, st, in);
  } else if (is_config_instruction(k)) {
    config_step(session, st, in, [&] {
      apply_config_instruction(st.config(), in, session.lookup(st), session.plan().escape);
      if (k == "cmd") st.cmd_set = true;
      if (k == "entrypoint" && !st.cmd_set) st.config()["Cmd"] = Json();
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
