// Typed instructions: each instruction of a parsed Dockerfile with its flags
// checked and parsed once, before any stage is built (BuildKit's
// frontend/dockerfile/instructions). A flag an instruction does not take, one
// given twice, or one without its value is a DockerfileError naming the line,
// in whichever stage it is — as `docker build` refuses it. Values stay as
// written: expanding $VARs in them is the builder's business.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dockerfile/dockerfile_parser.h"

namespace berth {

// RUN --mount=type=bind|cache|secret,…
struct RunMount {
  std::string spec;                 // as written after --mount=
  std::string type = "bind";
  std::string target;               // target=, dst= or destination=
  std::string source;               // bind: source= or src=, below its root
  std::optional<std::string> from;  // bind: a stage or an image
  std::string id;                   // cache: its id (default: the target); secret, ssh: which one
  bool required = false;            // secret, ssh: fail when the build was not given it
  bool read_write = false;          // bind: rw (which berth refuses)
};

struct FromFlags {
  std::optional<std::string> platform;
};
struct RunFlags {
  std::optional<std::string> network;  // default | host | none
  std::vector<RunMount> mounts;
};
struct CopyFlags {
  std::optional<std::string> from;  // COPY only
  std::optional<std::string> chown, chmod;
  bool link = false;                // accepted; berth's layers are independent anyway
  bool keep_git_dir = false;        // ADD of a git repository: keep its .git
  bool parents = false;             // COPY --parents: sources keep their directories
  std::vector<std::string> excludes;  // --exclude patterns (as written: BuildKit expands none)
};

struct TypedInstruction {
  Instruction instruction;  // keyword, arguments, heredocs, lines as parsed
  std::variant<std::monostate, FromFlags, RunFlags, CopyFlags> flags;
  // Flags Docker's builders take and berth does not ("--keep-git-dir"):
  // refused when the step runs, so a stage the target does not need may use them.
  std::vector<std::string> unsupported;

  const std::string& keyword() const { return instruction.keyword; }
  const FromFlags& from() const { return std::get<FromFlags>(flags); }
  const RunFlags& run() const { return std::get<RunFlags>(flags); }
  const CopyFlags& copy() const { return std::get<CopyFlags>(flags); }
};

// Throws Error when `in` uses a flag berth does not support.
void check_supported(const TypedInstruction& in);

// Checks and parses `in`'s flags (HEALTHCHECK's are checked by name here and
// read by config_instructions.h). Throws DockerfileError with its line.
TypedInstruction type_instruction(Instruction in);

// Every instruction of `file`, in order.
std::vector<TypedInstruction> type_instructions(Dockerfile&& file);

// One --mount value of RUN, its fields read (nothing checked yet).
RunMount parse_run_mount(const std::string& spec);

// What berth can mount, checked when the step runs (a stage the target does
// not need may hold a mount berth cannot make): throws Error otherwise.
void check_run_mount(const RunMount& m);

}  // namespace berth
