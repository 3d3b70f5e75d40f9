// `berth build`: a Dockerfile and its context -> an image, as Docker's builder
// makes it. Each step makes an image whose parent is the previous one (Docker's
// intermediate images, which is also the build cache: a step whose parent,
// instruction, arguments in scope and source contents are unchanged reuses
// its image). RUN and COPY/ADD work in a container-style overlay (image layers
// below, a fresh upper dir above) whose upper dir becomes the new layer.
// Multi-stage builds build only the stages the target needs.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "builder/cache_spec.h"
#include "core/error.h"
#include "core/reference.h"
#include "registry/registry_client.h"
#include "store/store.h"

namespace berth {

struct BuildOptions {
  std::filesystem::path context;
  std::string dockerfile;       // its text
  std::string dockerignore;     // the .dockerignore text ("" when none)
  std::vector<std::string> tags;  // full names
  std::map<std::string, std::string> build_args;
  // --label: merged into the final image's config with no step of their own,
  // as BuildKit does (the classic builder appends a LABEL step): docs/build.md.
  std::map<std::string, std::string> labels;
  std::string target;           // a stage name; "" = the last stage
  bool no_cache = false;
  // --cache-from, in the order given (builder/cache_spec.h): type=registry|local,
  // and images (in the store: CacheSpec::image; one without it is passed
  // over) whose steps count as cached — by the inline cache they carry, else
  // matched by their history, as Docker's classic builder does.
  std::vector<CacheSpec> cache_sources;
  std::vector<CacheSpec> cache_to;
  // Names a lease (store/image_leases.h) on every image a step makes, so a
  // concurrent `image prune` leaves them; the caller releases it once the
  // result is tagged. "" takes none.
  std::string lease;
  // A client for a registry cache's reference (with the caller's credentials).
  std::function<std::unique_ptr<RegistryClient>(const Reference& ref)> registry_client;
  bool quiet = false;           // -q: no step output, only the ID at the end
  std::string network = "default";  // for RUN: default (the host's) | host | none
  std::optional<int64_t> source_date_epoch;  // reproducible: times clamped to it
  // --secret id=ID,src=FILE: what RUN --mount=type=secret,id=ID may read (never stored).
  std::map<std::string, std::filesystem::path> secrets;
  // --ssh ID[=SOCKET]: the ssh-agent sockets RUN --mount=type=ssh,id=ID may use
  // (bound for the step only; never stored, never in a key).
  std::map<std::string, std::filesystem::path> ssh_agents;
  // The lock file beside the Dockerfile (Dockerfile.lock): the bases it pins are
  // used as pinned; with `pin`, every base is resolved afresh and recorded.
  std::filesystem::path lock_file;
  bool pin = false;
  // Finds (pulling when missing, or always with --pull) the image a FROM names.
  std::function<Digest(const std::string& reference)> resolve_base;
  std::ostream* out = nullptr;  // step output; stderr gets warnings
  std::ostream* err = nullptr;
};

// A RUN whose command failed: Docker's message, and its code as build's exit code.
class BuildStepError : public Error {
 public:
  BuildStepError(const std::string& message, int code) : Error(message), exit_code(code) {}
  int exit_code;
};

// Builds the target stage; returns the image ID. Throws Error (one line, with
// the step) when a step fails; the store keeps the steps that succeeded (the
// cache) and nothing half-made.
Digest build_image(Store& store, const BuildOptions& options);

}  // namespace berth
