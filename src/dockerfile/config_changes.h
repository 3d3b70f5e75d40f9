// `--change` instructions (import, commit): the Dockerfile
// instructions that only edit an image's config — CMD, ENTRYPOINT, ENV,
// EXPOSE, USER, WORKDIR, LABEL, VOLUME, STOPSIGNAL — applied to a
// container.Config JSON object.
#pragma once

#include <string>

#include "core/image_config.h"

namespace berth {

// Applies one change, e.g. `CMD ["httpd","-f"]` or `ENV A=1 B=2`, to `config`
// (a JSON object with Docker's container.Config keys). Throws Error naming
// the change when it is not one of the supported instructions or is malformed.
void apply_config_change(Json& config, const std::string& change);

}  // namespace berth
