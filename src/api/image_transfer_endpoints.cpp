#include "api/image_transfer_endpoints.h"

#include "api/api_params.h"
#include "api/json_progress.h"
#include "api/registry_auth_headers.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/reference.h"
#include "engine/registry_access.h"
#include "engine/registry_mirrors.h"
#include "image/image_importer.h"
#include "image/image_loader.h"
#include "image/image_saver.h"
#include "registry/image_puller.h"
#include "registry/image_pusher.h"

namespace berth {

namespace {

// POST /auth (`docker login` through the socket): checked against the registry
// as `berth login` checks it; the client keeps the credentials itself.
Reply auth(const ServiceState& state, const ApiRequest& request) {
  Json body = json_body(request);
  std::optional<Credentials> credentials = credentials_of(body);
  if (!credentials) throw invalid_argument("username and password are required");
  check_registry_login(body.value("serveraddress", "docker.io"), *credentials,
                       insecure_registries(state.insecure_registries));
  return json_response(200, Json{{"IdentityToken", ""}, {"Status", "Login Succeeded"}});
}

// fromImage=NAME and tag=TAG, where TAG may be a digest, as the CLI splits them.
Reference pull_reference(const ApiRequest& request) {
  Reference ref = parse_normalized_named_or_throw(query_string(request, "fromImage"));
  std::string tag = query_string(request, "tag");
  if (tag.find(':') != std::string::npos) ref.digest = tag, ref.tag.clear();
  else if (!tag.empty()) ref.tag = tag;
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  if (!ref.digest.empty()) ref.tag.clear();  // a digest pins the content, as in `berth pull`
  return ref;
}

Reply pull(const ServiceState& state, const ApiRequest& request) {
  Reference ref = pull_reference(request);
  std::optional<Credentials> credentials = registry_auth(request);
  PullOptions options;
  if (std::string platform = query_string(request, "platform"); !platform.empty()) {
    options.platform = Platform::parse(platform);
    options.platform_required = true;
  }
  return json_progress_reply([state, ref, credentials, options](JsonProgress& out) {
    Store store(state.root);
    // "Pulling from" follows the first layer's news, not before: a name the
    // registry does not know is then an error reply, as dockerd's.
    bool announced = false;
    PullResult r = pull_via_mirrors(
        store, ref, options, clients_for_pull(insecure_registries(state.insecure_registries), ref.domain, credentials),
        [&](const LayerProgress& p) {
          if (!announced) out.status("Pulling from " + ref.path, ref.digest.empty() ? ref.tag : ref.digest);
          announced = true;
          out.layer(p);
        },
        [&](const std::string& warning) { out.status(warning); });
    if (!announced) out.status("Pulling from " + ref.path, ref.digest.empty() ? ref.tag : ref.digest);
    out.status("Digest: " + r.digest.str());
    out.status(std::string(r.newer ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") +
               ref.familiar_str());
  });
}

Reply import(const ServiceState& state, const ApiRequest& request) {
  if (query_string(request, "fromSrc") != "-") throw invalid_argument("only fromSrc=- (the request body) is supported");
  ImportOptions options;
  for (auto [it, end] = request.http.query.equal_range("changes"); it != end; ++it) options.changes.push_back(it->second);
  options.message = query_string(request, "message");
  options.platform = query_string(request, "platform");
  if (std::string repo = query_string(request, "repo"); !repo.empty()) {
    Reference r = parse_normalized_named_or_throw(repo);
    if (std::string tag = query_string(request, "tag"); !tag.empty()) r.tag = tag;
    if (r.tag.empty()) r.tag = "latest";
    options.tag = r.str();
  }
  Store store(state.root);
  Digest id = import_image(store, body_stream(request), options);
  return json_progress_reply([id](JsonProgress& out) { out.status(id.str()); });
}

Reply create(const ServiceState& state, const ApiRequest& request) {
  if (request.http.param("fromSrc")) return import(state, request);
  if (query_string(request, "fromImage").empty()) throw invalid_argument("fromImage or fromSrc is required");
  return pull(state, request);
}

Reply push(const ServiceState& state, const ApiRequest& request) {
  Reference repo = parse_normalized_named_or_throw(request.params.at("name"));
  if (!repo.digest.empty()) throw invalid_argument("cannot push a digest reference");
  std::string tag = query_string(request, "tag");
  if (!tag.empty()) repo.tag = tag;
  Store store(state.root);
  std::vector<Reference> refs;
  if (!repo.tag.empty()) {
    refs.push_back(repo);
  } else {  // no tag: every tag of the repository, as dockerd pushes them
    for (const std::string& name : store.images().tag_names()) {
      Reference r = parse_normalized_named_or_throw(name);
      if (r.name() == repo.name()) refs.push_back(r);
    }
  }
  if (refs.empty() || !store.images().by_name(refs[0].str()))
    throw not_found("An image does not exist locally with the tag: " + repo.familiar_name());
  std::optional<Credentials> credentials = registry_auth(request);
  return json_progress_reply([state, repo, refs, credentials](JsonProgress& out) {
    Store store(state.root);
    std::unique_ptr<RegistryClient> client =
        registry_client(repo.domain, insecure_registries(state.insecure_registries), credentials);
    out.status("The push refers to repository [" + repo.name() + "]");
    for (const Reference& r : refs) {
      std::optional<Digest> id = store.images().by_name(r.str());
      if (!id) throw not_found("An image does not exist locally with the tag: " + r.familiar_name());
      PushResult result = push_image(store, *client, r, *id, PushOptions{}, out.callback());
      out.status(r.tag + ": digest: " + result.digest.str() + " size: " + std::to_string(result.size));
      out.aux(Json{{"Tag", r.tag}, {"Digest", result.digest.str()}, {"Size", result.size}});
    }
  });
}

// The archive goes out as it is written, its end the connection's close.
Reply save(const ServiceState& state, std::vector<std::string> names) {
  Store store(state.root);
  std::vector<SaveItem> items;
  for (const std::string& name : names) {
    if (!store.images().try_resolve(name)) throw not_found("No such image: " + name);
    items.push_back(resolve_save_item(store, name));
  }
  Reply r;
  r.headers["Content-Type"] = "application/x-tar";
  r.headers["Connection"] = "close";
  r.hijack = true;
  r.stream = [state, items](ResponseStream& out) {
    out.start();  // the saver writes to the connection itself
    Store store(state.root);
    save_images(store, items, out.fd(), "the API connection");
  };
  return r;
}

Reply save_many(const ServiceState& state, const ApiRequest& request) {
  std::vector<std::string> names;
  for (auto [it, end] = request.http.query.equal_range("names"); it != end; ++it) names.push_back(it->second);
  if (names.empty()) throw invalid_argument("no image names given");
  return save(state, names);
}

Reply load(const ServiceState& state, const ApiRequest& request) {
  Store store(state.root);
  LoadReport report = load_images(store, body_stream(request));
  // quiet=1 (what the CLI asks when its output is not a terminal) only
  // silences progress bars in moby: the lines are always sent.
  return json_progress_reply([report](JsonProgress& out) {
    for (const std::string& line : report.lines) out.stream(line + "\n");
  });
}

}  // namespace

void add_image_transfer_endpoints(ApiRouter& router, const ServiceState& state) {
  router.add("POST", "/auth", [state](const ApiRequest& r) { return auth(state, r); });
  router.add("POST", "/images/create", [state](const ApiRequest& r) { return create(state, r); },
             RequestBody::streamed);  // fromSrc=-: the body is the image
  router.add("POST", "/images/load", [state](const ApiRequest& r) { return load(state, r); },
             RequestBody::streamed);
  router.add("GET", "/images/get", [state](const ApiRequest& r) { return save_many(state, r); });
  router.add("GET", "/images/{name*}/get", [state](const ApiRequest& r) { return save(state, {r.params.at("name")}); });
  router.add("POST", "/images/{name*}/push", [state](const ApiRequest& r) { return push(state, r); });
  router.add("GET", "/images/search", [](const ApiRequest&) -> Reply {
    throw not_found("search is not supported: berth talks to registries by name only");
  });
}

}  // namespace berth
