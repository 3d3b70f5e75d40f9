#include "dockerfile/config_changes.h"

#include "core/error.h"
#include "dockerfile/config_instructions.h"
#include "dockerfile/dockerfile_parser.h"

namespace berth {

void apply_config_change(Json& config, const std::string& change) {
  // Parsed as a one-line Dockerfile, so a change means what the same line in a Dockerfile means.
  try {
    Dockerfile f = parse_dockerfile(change + "\n");
    if (f.instructions.size() != 1) throw Error("one instruction expected");
    const Instruction& in = f.instructions[0];
    if (!is_config_instruction(in.keyword) || in.keyword == "shell" || in.keyword == "healthcheck")
      throw Error(in.keyword + " is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR");
    apply_config_instruction(config, in, env_of(config));
  } catch (const Error& e) {
    throw Error("invalid change \"" + change + "\": " + e.what());
  }
}

}  // namespace berth
