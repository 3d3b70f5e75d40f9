// The Engine API's paths: an optional version prefix (/v1.24 … /v1.44, or
// none), then a route of fixed segments and {name} captures, by method.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http_message.h"
#include "core/version.h"  // kApiVersion, kMinApiVersion
#include "core/image_config.h"

namespace berth {


struct ApiRequest {
  const ReceivedRequest& http;
  std::string api_version;                    // from the path, or kApiVersion
  std::map<std::string, std::string> params;  // the route's {captures}
};

using ApiHandler = std::function<Reply(const ApiRequest&)>;

// How a route takes its request's body: whole, in ReceivedRequest::body (up to
// the service's bound), or streamed, through ReceivedRequest::body_stream.
enum class RequestBody { whole, streamed };

class ApiRouter {
 public:
  void add(const std::string& method, const std::string& pattern, ApiHandler handler,
           RequestBody body = RequestBody::whole);
  // Whether the route the request goes to reads its body as a stream.
  bool streams_body(const ReceivedRequest& request) const;
  // Never throws: unknown paths are 404, a version out of range 400, a handler's
  // Error the status its kind maps to, all with moby's {"message": …} body.
  Reply route(const ReceivedRequest& request) const;

 private:
  Reply dispatch(const ReceivedRequest& request) const;

  struct Route {
    std::string method;
    std::vector<std::string> segments;
    ApiHandler handler;
    RequestBody body;
  };
  std::vector<Route> routes_;
};

// moby's error body and its Content-Type.
Reply json_error(int status, const std::string& message);
Reply json_response(int status, const std::string& json);
// Invalid UTF-8 in a string (a file name, a label) becomes U+FFFD, as Go writes it.
Reply json_response(int status, const Json& doc);
// One document of a JSON stream (events, stats) as moby's encoder writes it:
// escaped as Go does, a newline after it.
std::string json_document(const Json& doc);
int status_of(ErrorKind kind);
inline constexpr const char* kRawStreamType = "application/vnd.docker.raw-stream";

// attach and exec start: the connection handed to the stream raw, with 101
// UPGRADED when the client asked to upgrade (the docker CLI, docker-py), else
// 200; the stream sets `stream`.
Reply hijacked_reply(const ReceivedRequest& request);

// A response without a body: 204, 201 for a tag, 304 for a no-op.
Reply no_content(int status = 204);

}  // namespace berth
