// The history lines of a build, as BuildKit writes them (Docker 20.10's
// built-in BuildKit, its Dockerfile frontend): `docker history` of an image
// berth built reads as the same Dockerfile built with DOCKER_BUILDKIT=1.
// Where Docker's two builders disagree berth follows BuildKit (docs/build.md);
// the classic builder's "/bin/sh -c #(nop) …" lines are not made.
//
// Config-only steps print Go's %v or %q of the value they set, as BuildKit
// does (EXPOSE map[80/tcp:{}], VOLUME [/a /b], CMD ["sh" "-c" "x"]); steps
// with a layer end in " # buildkit". ONBUILD records no history entry.
#pragma once

#include <string>
#include <optional>
#include <utility>
#include <vector>

#include "core/image_config.h"
#include "dockerfile/dockerfile_parser.h"
#include "dockerfile/shell_lexer.h"

namespace berth {

// Every history entry of a build carries this comment, as BuildKit's do.
inline constexpr const char* kBuildHistoryComment = "buildkit.dockerfile.v0";

// A config-only instruction's line, from the instruction, the $VARs it saw
// and the config after it was applied. "" for ONBUILD (no history entry).
std::string config_history_line(const Instruction& in, const EnvLookup& env, const Json& config_after, char escape);

// ARG's line: each word as NAME or NAME=default (the default expanded).
std::string arg_history_line(const std::vector<std::pair<std::string, std::optional<std::string>>>& declared);

// WORKDIR's line: the working directory it leaves.
std::string workdir_history_line(const std::string& working_dir);

// RUN's line: the stage's ARGs in the order declared (a name declared twice
// twice), each with its value — the ENV's when an ENV of that name overrides
// it — as "|N A=1 B=2", then the command's words.
std::string run_history_line(const std::vector<std::pair<std::string, std::string>>& args_in_order,
                             const std::vector<std::string>& command);

// COPY's and ADD's line: the sources and destination as written (expanded),
// without flags.
std::string copy_history_line(const std::string& name, const std::vector<std::string>& sources, const std::string& dest);

// Go's %q of a []string: ["a" "b c"].
std::string go_quoted_list(const Json& words);

}  // namespace berth
