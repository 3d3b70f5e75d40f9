#include "cli/registry_access.h"

#include <unistd.h>

#include <iostream>

#include "engine/registry_access.h"
#include "engine/registry_mirrors.h"

namespace berth {

std::vector<std::string> insecure_registries(const Context& ctx) { return insecure_registries(ctx.insecure_registries); }

std::unique_ptr<RegistryClient> registry_client(const Context& ctx, const std::string& domain, bool plain_http) {
  std::vector<std::string> insecure = insecure_registries(ctx);
  if (plain_http) insecure.push_back(domain);
  DockerConfig config(DockerConfig::default_path());
  return registry_client(domain, insecure, config.get(credentials_key_of(domain, insecure)));
}

PullOptions pull_options(const Args& args) {
  PullOptions options;
  if (args.has("platform")) {
    options.platform = Platform::parse(args.value("platform"));
    options.platform_required = true;
  }
  return options;
}

PullResult pull_with_progress(Context& ctx, const Reference& ref, const PullOptions& options, ProgressPrinter& out) {
  out.line((ref.digest.empty() ? ref.tag : ref.digest) + ": Pulling from " + ref.path);
  PullResult r = pull_via_mirrors(
      ctx.store(), ref, options,
      [&](const std::string& domain, bool plain_http) { return registry_client(ctx, domain, plain_http); },
      out.callback(), [](const std::string& warning) { std::cerr << warning << "\n"; });
  out.line("Digest: " + r.digest.str());
  out.line(std::string(r.newer ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") +
           ref.familiar_str());
  return r;
}

Digest image_or_pull(Context& ctx, const std::string& name, const std::string& policy, const PullOptions& options,
                     std::ostream& out) {
  std::optional<Digest> have = ctx.store().images().try_resolve(name);
  if (have && policy != "always") return *have;
  if (policy == "never" || (!have && name.find_first_not_of("0123456789abcdef") == std::string::npos && name.size() >= 12))
    throw Error("No such image: " + name);
  Reference ref = parse_normalized_named_or_throw(name);
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  if (!have) out << "Unable to find image '" << ref.familiar_str() << "' locally\n";
  ProgressPrinter progress(out, &out == &std::cerr ? ::isatty(2) : ::isatty(1), false);
  return pull_with_progress(ctx, ref, options, progress).image_id;
}

}  // namespace berth
