// The dispatchers: one instruction of a stage, run against where the stage
// stands (moby's builder/dockerfile/dispatchers.go). Config-only steps (ENV,
// LABEL, ARG, …) and WORKDIR in dispatch.cpp, RUN with its mounts in
// dispatch_run.cpp, COPY and ADD in dispatch_copy.cpp. Each looks up the
// build cache first and commits what it made (BuildSession::commit).
#pragma once

#include <cstddef>

#include "builder/build_session.h"
#include "dockerfile/instructions.h"

namespace berth {

// Runs `c` in stage `stage` (its index); throws Error naming what failed.
void dispatch(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage);

void dispatch_run(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage);
void dispatch_copy(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage);

}  // namespace berth
