// POST /build: the classic builder's API (what the docker CLI and docker-py
// use when the service says Builder-Version: 1). The body is the context as
// a tar (gzip or zstd allowed); the answer is moby's JSON stream: the step
// lines as {"stream"}, the image ID as {"aux": {"ID"}}, then "Successfully
// built/tagged"; a failed step is the stream's error, with the RUN's exit code.
#pragma once

#include "api/api_router.h"
#include "api/service_state.h"

namespace berth {

void add_build_endpoint(ApiRouter& router, const ServiceState& state);

}  // namespace berth
