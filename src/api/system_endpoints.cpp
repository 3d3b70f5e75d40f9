#include "api/system_endpoints.h"

#include <sys/utsname.h>

#include <nlohmann/json.hpp>

#include "core/platform.h"
#include "core/version.h"

namespace berth {

namespace {

std::string kernel_version() {
  utsname u{};
  return ::uname(&u) == 0 ? u.release : "";
}

// The CLI learns the server's API version and builder from these headers.
Reply ping(const ApiRequest&) {
  Reply r;
  r.headers["Content-Type"] = "text/plain; charset=utf-8";
  r.headers["Cache-Control"] = "no-cache, no-store, must-revalidate";
  r.headers["Pragma"] = "no-cache";
  r.headers["Builder-Version"] = "1";
  r.body = "OK";
  return r;
}

// moby's types.Version, the engine as its one component.
Reply version(const ApiRequest&) {
  Platform host = Platform::host();
  nlohmann::json details = {{"ApiVersion", kApiVersion}, {"Arch", host.architecture}, {"BuildTime", ""},
                            {"Experimental", "false"}, {"GitCommit", ""}, {"GoVersion", ""},
                            {"KernelVersion", kernel_version()}, {"MinAPIVersion", kMinApiVersion},
                            {"Os", host.os}};
  nlohmann::json v = {
      {"Platform", {{"Name", "berth"}}},
      {"Components", nlohmann::json::array({{{"Name", "Engine"}, {"Version", kBerthVersion}, {"Details", details}}})},
      {"Version", kBerthVersion}, {"ApiVersion", kApiVersion}, {"MinAPIVersion", kMinApiVersion},
      {"GitCommit", ""}, {"GoVersion", ""}, {"Os", host.os}, {"Arch", host.architecture},
      {"KernelVersion", kernel_version()}, {"BuildTime", ""}};
  return json_response(200, v.dump());
}

}  // namespace

void add_system_endpoints(ApiRouter& router) {
  router.add("GET", "/_ping", ping);
  router.add("GET", "/version", version);
}

}  // namespace berth
