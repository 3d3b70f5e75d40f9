// The plan of a build, made before anything runs and from the Dockerfile
// alone: its stages (FROM … AS name and the instructions below), the meta ARGs
// before the first FROM and their values, which stages the target needs and
// which stages each one uses (FROM, COPY --from, RUN --mount from=), and the
// "Step N/M" numbers a sequential build prints. Pure: no store, no files, so
// it is tested on its own (tests/unit/build_plan_test.cpp).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/instructions.h"
#include "dockerfile/shell_lexer.h"

namespace berth {

struct PlannedStage {
  std::string name;  // lower case; "" when it has no AS
  size_t index = 0;
  TypedInstruction from;
  std::string base;                  // what FROM names, meta ARGs expanded
  std::optional<size_t> base_stage;  // when that is an earlier stage
  std::vector<TypedInstruction> body;
  bool needed = false;               // the target uses it
  std::vector<size_t> uses;          // earlier stages it needs built first (needed stages only)
  size_t first_step = 0;             // the step number before its FROM's
};

struct BuildPlan {
  char escape = '\\';
  // No "# syntax=" directive: Docker 20.10's built-in frontend, whose
  // substitutions are ${X}, ${X:-w}, ${X:+w} and ${X:?w} only.
  bool colon_forms_only = true;
  // How the Dockerfile's words are expanded: its escape character and forms.
  ShellLexer word_lexer() const {
    ShellLexer lexer;
    lexer.escape = escape;
    lexer.colon_forms_only = colon_forms_only;
    return lexer;
  }
  std::vector<std::string> warnings;         // the parser's
  std::map<std::string, std::string> meta_values;  // meta ARGs that have a value
  std::set<std::string> meta_declared;
  std::set<std::string> consumed_build_args;        // by meta ARGs
  std::vector<PlannedStage> stages;
  size_t target = 0;
  size_t total_steps = 0;  // M in "Step N/M"

  // The stage `ref` (a FROM, COPY --from or mount from= value) names among
  // those before `before`: by name, or by index. Throws for an index that is
  // not before it.
  std::optional<size_t> stage_named(const std::string& ref, size_t before) const;
  // $VARs for FROM lines: the meta ARGs, then the automatic platform args.
  EnvLookup meta_lookup() const;
  // A word expanded with meta_lookup().
  std::string expand_meta(const std::string& word) const;
};

// Throws DockerfileError for a file that does not parse or a bad flag (with
// its line), Error for a plan that cannot be made (no FROM, an unknown
// target, a FROM for another platform, …).
BuildPlan plan_build(std::string_view dockerfile, const std::string& target,
                     const std::map<std::string, std::string>& build_args);

}  // namespace berth
