// HttpClients shared by the threads of one registry client. A client (a
// libcurl handle and its connection cache) belongs to one thread at a time;
// the pool lends one per request and takes it back, so connections are
// reused across requests and threads without two using one at once.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "registry/http_client.h"

namespace berth {

class HttpPool {
 public:
  // Sends on an idle client, or a new one when all are busy.
  HttpResponse send(const HttpRequest& request);

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<HttpClient>> idle_;
};

}  // namespace berth
