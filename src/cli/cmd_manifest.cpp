// berth manifest inspect [--insecure] REF: a registry's manifest or index for
// REF, without pulling — printed as docker manifest inspect prints it, the
// document as the registry sent it, indented with tabs (Go's json.Indent).
#include <iostream>

#include "cli/command.h"
#include "cli/registry_access.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "core/reference.h"

namespace berth {
namespace {

int inspect(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "manifest inspect");
  if (args.flag("verbose")) throw UsageError("berth manifest inspect: --verbose is not supported yet");
  Reference ref = parse_normalized_named_or_throw(args.positional()[0]);
  std::unique_ptr<RegistryClient> client = registry_client(ctx, ref.domain, args.flag("insecure"));
  std::string wanted = !ref.digest.empty() ? ref.digest : ref.tag.empty() ? "latest" : ref.tag;
  FetchedManifest manifest;
  try {
    manifest = client->get_manifest(ref.path, wanted);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    throw not_found("no such manifest: " + ref.familiar_str());
  }
  std::cout << Json::parse(manifest.bytes).dump(1, '\t') << "\n";
  return 0;
}

}  // namespace

const Command kManifestInspectCommand = {"manifest inspect", "berth manifest inspect [OPTIONS] [MANIFEST_LIST] MANIFEST",
                                         "Display an image manifest, or manifest list",
                                         {{0, "insecure", false}, {'v', "verbose", false}}, inspect};

}  // namespace berth
