#include "builder/build_plan.h"

#include <algorithm>

#include "builder/build_args.h"
#include "core/ascii_case.h"
#include "core/error.h"
#include "core/number.h"
#include "core/platform.h"

namespace berth {
namespace {

void split_stages(std::vector<TypedInstruction> commands, BuildPlan& plan, std::vector<TypedInstruction>& meta_args) {
  for (TypedInstruction& c : commands) {
    if (c.keyword() == "from") {
      PlannedStage s;
      s.index = plan.stages.size();
      const std::vector<std::string>& args = c.instruction.args;
      if (args.size() == 3 && ascii_lower(args[1]) == "as") s.name = ascii_lower(args[2]);
      else if (args.size() != 1) throw Error("FROM requires either one or three arguments");
      s.from = std::move(c);
      plan.stages.push_back(std::move(s));
    } else if (plan.stages.empty()) {
      if (c.keyword() != "arg")
        throw Error("no build stage in current context: " + ascii_upper(c.keyword()) + " before FROM");
      meta_args.push_back(std::move(c));
    } else {
      plan.stages.back().body.push_back(std::move(c));
    }
  }
  if (plan.stages.empty()) throw Error("no build stage in current context");
}

// Meta ARGs: their values (build args win) are in scope for every FROM.
void declare_meta_args(const std::vector<TypedInstruction>& meta_args, const std::map<std::string, std::string>& build_args,
                       BuildPlan& plan) {
  for (const TypedInstruction& c : meta_args)
    for (const std::string& word : c.instruction.args) {
      DeclaredArg a = declare_arg(word, plan.meta_lookup(), build_args, plan.word_lexer());
      if (a.value) plan.meta_values[a.name] = *a.value;
      if (a.from_build_arg) plan.consumed_build_args.insert(a.name);
      plan.meta_declared.insert(a.name);
    }
}

size_t target_stage(const BuildPlan& plan, const std::string& target) {
  if (target.empty()) return plan.stages.size() - 1;
  for (const PlannedStage& s : plan.stages)
    if (s.name == ascii_lower(target)) return s.index;
  throw Error("failed to reach build target " + target + " in Dockerfile");
}

// FROM --platform=$BUILDPLATFORM (the cross-compiling pattern) is this machine's platform.
void check_platform(const BuildPlan& plan, const PlannedStage& stage) {
  const std::optional<std::string>& flag = stage.from.from().platform;
  if (!flag) return;
  std::string platform = plan.expand_meta(*flag);
  if (!Platform::parse(platform).matches(Platform::host()))
    throw Error("FROM --platform=" + platform + ": building for another platform is not supported (RUN steps run on " +
                Platform::host().str() + ")");
}

// The stages `stage` reads from besides its base: COPY --from and RUN --mount from=.
std::vector<std::string> referenced_stages(const PlannedStage& stage) {
  std::vector<std::string> refs;
  for (const TypedInstruction& c : stage.body) {
    if (c.keyword() == "copy" && c.copy().from) refs.push_back(*c.copy().from);
    if (c.keyword() == "run")
      for (const RunMount& m : c.run().mounts)
        if (m.from) refs.push_back(*m.from);
  }
  return refs;
}

void mark_needed(BuildPlan& plan, size_t i) {
  PlannedStage& stage = plan.stages[i];
  if (stage.needed) return;
  stage.needed = true;
  check_platform(plan, stage);
  stage.base = plan.expand_meta(stage.from.instruction.args[0]);
  stage.base_stage = plan.stage_named(stage.base, i);
  if (stage.base_stage) stage.uses.push_back(*stage.base_stage);
  for (const std::string& ref : referenced_stages(stage))
    if (std::optional<size_t> s = plan.stage_named(ref, i)) stage.uses.push_back(*s);
  std::vector<size_t> uses = stage.uses;  // a copy: the recursion below must not iterate what it may reach
  for (size_t s : uses) mark_needed(plan, s);
}

}  // namespace

std::optional<size_t> BuildPlan::stage_named(const std::string& ref, size_t before) const {
  std::string r = ascii_lower(ref);
  for (size_t i = 0; i < before; ++i)
    if (!stages[i].name.empty() && stages[i].name == r) return i;
  if (std::optional<uint64_t> index = try_parse_uint(r)) {
    if (*index < before) return static_cast<size_t>(*index);
    throw Error("invalid from flag value " + ref + ": refers to current or future build stage");
  }
  return std::nullopt;
}

EnvLookup BuildPlan::meta_lookup() const {
  return [this](const std::string& name) -> std::optional<std::string> {
    if (auto it = meta_values.find(name); it != meta_values.end()) return it->second;
    if (auto it = platform_args().find(name); it != platform_args().end()) return it->second;
    return std::nullopt;
  };
}

std::string BuildPlan::expand_meta(const std::string& word) const {
  return word_lexer().process_word(word, meta_lookup());
}

BuildPlan plan_build(std::string_view dockerfile, const std::string& target,
                     const std::map<std::string, std::string>& build_args) {
  Dockerfile file = parse_dockerfile(dockerfile);
  BuildPlan plan;
  plan.escape = file.escape;
  plan.colon_forms_only = file.syntax.empty();
  plan.warnings = file.warnings;
  std::vector<TypedInstruction> meta_args;
  split_stages(type_instructions(std::move(file)), plan, meta_args);
  declare_meta_args(meta_args, build_args, plan);
  plan.target = target_stage(plan, target);
  mark_needed(plan, plan.target);
  for (PlannedStage& s : plan.stages) {
    s.first_step = plan.total_steps;
    if (s.needed) plan.total_steps += 1 + s.body.size();
  }
  return plan;
}

}  // namespace berth
