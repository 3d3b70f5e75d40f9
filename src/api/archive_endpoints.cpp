#include "api/archive_endpoints.h"

#include "api/api_params.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "engine/container_files.h"

namespace berth {

namespace {

using Root = std::filesystem::path;

std::string path_param(const ApiRequest& request) {
  std::string path = query_string(request, "path");
  if (path.empty()) throw invalid_argument("path is required");
  return path;
}

// moby's types.ContainerPathStat as the header carries it.
std::string stat_header(const ContainerPathStat& st) {
  Json j = {{"name", st.name}, {"size", st.size}, {"mode", st.mode}, {"mtime", rfc3339_nano(st.mtime_ns)},
            {"linkTarget", st.link_target}};
  return base64_encode(j.dump());
}

Reply get(const Root& root, const ApiRequest& request) {
  std::string id = request.params.at("id"), path = path_param(request);
  Store store(root);
  ContainerPathStat st = stat_in_container(store, id, path);
  Reply r;
  r.headers["X-Docker-Container-Path-Stat"] = stat_header(st);
  r.headers["Content-Type"] = "application/x-tar";
  if (request.http.method == "HEAD") return r;
  r.headers["Connection"] = "close";
  r.hijack = true;  // the tar as it is written, ended by the close
  r.stream = [root, id, path](ResponseStream& out) {
    out.start();
    Store store(root);
    copy_from_container(store, id, path, "-", out.fd());
  };
  return r;
}

Reply put(const Root& root, const ApiRequest& request) {
  std::string id = request.params.at("id"), path = path_param(request);
  Store store(root);
  copy_into_container(store, id, "-", path, &body_stream(request));
  return json_response(200, std::string());
}

// The container's whole file system, as `berth export` writes it.
Reply export_tar(const Root& root, const ApiRequest& request) {
  std::string id = Store(root).containers().find(request.params.at("id")).id;  // a 404 before the stream
  Reply r;
  r.headers["Content-Type"] = "application/x-tar";
  r.headers["Connection"] = "close";
  r.hijack = true;
  r.stream = [root, id](ResponseStream& out) {
    out.start();
    Store store(root);
    export_container(store, id, "", out.fd());
  };
  return r;
}

}  // namespace

void add_archive_endpoints(ApiRouter& router, const Root& root) {
  router.add("GET", "/containers/{id}/archive", [root](const ApiRequest& r) { return get(root, r); });
  router.add("PUT", "/containers/{id}/archive", [root](const ApiRequest& r) { return put(root, r); },
             RequestBody::streamed);
  router.add("GET", "/containers/{id}/export", [root](const ApiRequest& r) { return export_tar(root, r); });
}

}  // namespace berth
