// What the registry commands share: a client for a reference's registry,
// with the credentials config.json holds for it and Docker's rules for
// which registries may be reached over plain HTTP.
#pragma once

#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/progress_printer.h"
#include "registry/image_puller.h"
#include "registry/registry_client.h"

namespace berth {

// --insecure-registry flags, plus "insecure-registries" of /etc/berth/config.json
// (the same key as Docker's daemon.json); $BERTH_CONFIG names another file.
std::vector<std::string> insecure_registries(const Context& ctx);

// `plain_http`: this registry may be reached over HTTP too (a command's --insecure).
std::unique_ptr<RegistryClient> registry_client(const Context& ctx, const std::string& domain, bool plain_http = false);

// --platform as `pull` and `run` take it: the host's platform when absent.
PullOptions pull_options(const Args& args);

// One pull with Docker's lines around it ("TAG: Pulling from REPO", the
// layers, "Digest:", "Status: …"), for `pull` and for `run` of a missing image.
// Through the configured registry mirrors first (engine/registry_mirrors.h).
PullResult pull_with_progress(Context& ctx, const Reference& ref, const PullOptions& options, ProgressPrinter& out);

// An image in the store, or pulled when missing ("missing"), always
// ("always"), or never ("never": a missing image is an error). Progress goes to `out`.
Digest image_or_pull(Context& ctx, const std::string& name, const std::string& policy, const PullOptions& options,
                     std::ostream& out);



}  // namespace berth
