#include "api/build_endpoint.h"

#include <fcntl.h>

#include <ostream>

#include "api/api_params.h"
#include "api/json_progress.h"
#include "api/registry_auth_headers.h"
#include "archive/layer_extractor.h"
#include "builder/cache_spec.h"
#include "builder/image_builder.h"
#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/reference.h"
#include "engine/images.h"
#include "engine/registry_access.h"
#include "engine/registry_mirrors.h"
#include "registry/image_puller.h"
#include "store/image_leases.h"

namespace berth {

namespace {

// A query parameter holding a JSON document (buildargs, cachefrom).
Json json_param(const ApiRequest& request, const std::string& name, Json fallback) {
  std::string text = query_string(request, name);
  if (text.empty()) return fallback;
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || doc.type() != fallback.type()) throw invalid_argument("invalid " + name + ": " + text);
  return doc;
}

// The Dockerfile's path inside the context, never outside it.
std::filesystem::path dockerfile_in(const std::filesystem::path& context, const std::string& name) {
  std::filesystem::path p = std::filesystem::path(name).lexically_normal();
  if (p.empty() || p.is_absolute() || *p.begin() == "..")
    throw invalid_argument("the Dockerfile (" + name + ") must be within the build context");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(context / p, ec) || std::filesystem::is_symlink(context / p, ec))
    throw invalid_argument("Cannot locate specified Dockerfile: " + name);
  return context / p;
}

BuildOptions build_options(const ApiRequest& request) {
  BuildOptions o;
  for (auto [it, end] = request.http.query.equal_range("t"); it != end; ++it) {
    Reference r = parse_docker_ref_or_throw(it->second);
    if (!r.digest.empty()) throw invalid_argument("invalid tag \"" + it->second + "\": a tag cannot have a digest");
    o.tags.push_back(r.str());
  }
  Json build_args = json_param(request, "buildargs", Json::object());
  for (const auto& [key, value] : build_args.items())
    if (value.is_string()) o.build_args[key] = value.get<std::string>();
  Json labels = json_param(request, "labels", Json::object());
  for (const auto& [key, value] : labels.items())
    if (value.is_string()) o.labels[key] = value.get<std::string>();
  o.target = query_string(request, "target");
  o.no_cache = query_bool(request, "nocache");
  o.quiet = query_bool(request, "q");
  std::string network = query_string(request, "networkmode", "default");
  o.network = network.empty() ? "default" : network;
  if (o.network != "default" && o.network != "host" && o.network != "none")
    throw invalid_argument("network mode \"" + o.network + "\" not supported: use default, host or none");
  return o;
}

// cachefrom: images, or "type=registry,ref=…" (BuildKit's syntax) for a
// shared build cache, in `o` in the order given (the images found later).
void cache_from_specs(const ApiRequest& request, BuildOptions& o) {
  for (const Json& value : json_param(request, "cachefrom", Json::array())) {
    if (!value.is_string()) continue;
    try {
      o.cache_sources.push_back(parse_cache_spec(value.get<std::string>(), CacheDirection::kImport));
    } catch (const Error& e) {
      throw invalid_argument(e.what());
    }
  }
}

// The context, unpacked before the answer starts: a bad archive is a 400.
std::shared_ptr<StagingDir> unpack_context(const ApiRequest& request, Store& store) {
  auto context = std::make_shared<StagingDir>(store.make_staging_dir("build-context"));
  UniqueFd dir(::open(context->path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) throw_errno("open " + context->path().string());
  DecompressingReader tar(body_stream(request), "the build context");
  try {
    extract_layer(tar, dir.get(), "the build context");
  } catch (const Error& e) {
    throw invalid_argument(std::string("the build context: ") + e.what());
  }
  return context;
}

Reply build(const ServiceState& state, const ApiRequest& request) {
  BuildOptions options = build_options(request);
  std::string dockerfile_name = query_string(request, "dockerfile", "Dockerfile");
  bool pull_always = query_bool(request, "pull");
  RegistryCredentials credentials = registry_config(request);
  cache_from_specs(request, options);
  auto store = std::make_shared<Store>(state.root);
  std::shared_ptr<StagingDir> context = unpack_context(request, *store);
  std::filesystem::path dockerfile = dockerfile_in(context->path(), dockerfile_name);
  options.context = context->path();
  options.dockerfile = read_file(dockerfile);
  std::error_code ec;
  if (std::filesystem::is_regular_file(context->path() / ".dockerignore", ec))
    options.dockerignore = read_file(context->path() / ".dockerignore");
  options.lock_file = dockerfile.string() + ".lock";
  return json_progress_reply([state, store, context, options, pull_always, credentials](JsonProgress& out) mutable {
    JsonStreamBuf buf(out);
    std::ostream text(&buf);
    std::ostream nowhere(nullptr);
    std::vector<std::string> insecure = insecure_registries(state.insecure_registries);
    auto login_for = [&](const std::string& domain) {
      auto login = credentials.find(domain);
      return login == credentials.end() ? std::nullopt : std::optional<Credentials>(login->second);
    };
    auto client_for = [&](const Reference& ref) { return registry_client(ref.domain, insecure, login_for(ref.domain)); };
    auto image_or_pull = [&](const std::string& name, bool always) {
      std::optional<Digest> have = store->images().try_resolve(name);
      if (have && !always) return *have;
      Reference ref = parse_normalized_named_or_throw(name);
      if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
      text.flush();
      RegistryClientFor clients = clients_for_pull(insecure, ref.domain, login_for(ref.domain));
      auto warn = [&](const std::string& warning) { text << warning << "\n"; };
      return pull_via_mirrors(*store, ref, PullOptions{}, clients, out.callback(), warn).image_id;
    };
    options.out = options.quiet ? &nowhere : &text;
    options.err = &nowhere;
    options.resolve_base = [&](const std::string& name) { return image_or_pull(name, pull_always); };
    options.registry_client = client_for;
    for (CacheSpec& spec : options.cache_sources) {
      if (spec.type != CacheSpec::Type::kImage) continue;
      try {
        spec.image = image_or_pull(spec.ref, false);
      } catch (const Error&) {
        // an image that cannot be had is no cache, as in Docker (passed over)
      }
    }
    ScopedLease lease(store->db());  // the step images, kept from a concurrent prune until tagged
    options.lease = lease.name();
    Digest id;
    try {
      id = build_image(*store, options);
    } catch (const BuildStepError& e) {
      text.flush();
      out.error(e.what(), e.exit_code);
      return;
    }
    tag_image(*store, id, options.tags);
    text.flush();
    out.aux(Json{{"ID", id.str()}});
    if (options.quiet) {
      out.stream(id.str() + "\n");
      return;
    }
    text << "Successfully built " << id.short_id() << "\n";
    for (const std::string& t : options.tags)
      text << "Successfully tagged " << parse_normalized_named_or_throw(t).familiar_str() << "\n";
    text.flush();
  });
}

}  // namespace

void add_build_endpoint(ApiRouter& router, const ServiceState& state) {
  router.add("POST", "/build", [state](const ApiRequest& r) { return build(state, r); },
             RequestBody::streamed);
  // `builder prune` (moby's types.BuildCachePruneReport): berth's cache has no
  // per-object IDs to list, so CachesDeleted stays null.
  router.add("POST", "/build/prune", [state](const ApiRequest&) {
    Store store(state.root);
    return json_response(200, Json{{"CachesDeleted", nullptr}, {"SpaceReclaimed", prune_build_cache(store)}});
  });
}

}  // namespace berth
