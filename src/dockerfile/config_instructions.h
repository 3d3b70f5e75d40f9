// The Dockerfile instructions that only edit an image's config (Docker's
// container.Config JSON): ENV, LABEL, EXPOSE, VOLUME, USER, WORKDIR,
// STOPSIGNAL, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD — with Docker's
// variable expansion for those that expand (ENV, LABEL, EXPOSE, VOLUME, USER,
// WORKDIR, STOPSIGNAL) and the current SHELL for shell-form commands. `build`
// runs them; `import -c` and `commit -c` apply them one line at a time.
#pragma once

#include "core/image_config.h"
#include "dockerfile/dockerfile_parser.h"
#include "dockerfile/shell_lexer.h"

namespace berth {

// True for the instructions apply_config_instruction handles.
bool is_config_instruction(const std::string& keyword);

// Applies one instruction to `config`. `env` resolves $VARs (the stage's ENV
// and ARGs in scope); it may be null; `words` expands them (the Dockerfile's
// escape character and substitution forms). Throws Error, naming the
// instruction, for a malformed one (a bad port, HEALTHCHECK options, …).
void apply_config_instruction(Json& config, const Instruction& in, const EnvLookup& env,
                              const ShellLexer& words = ShellLexer());

// The config's environment as a lookup (for expansion).
EnvLookup env_of(const Json& config);

// Sets NAME=VALUE in a config's Env list (replacing an earlier NAME).
void set_env(Json& config, const std::string& name, const std::string& value);

}  // namespace berth
