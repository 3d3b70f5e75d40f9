#include "registry/http_pool.h"

namespace berth {
namespace {

// A client borrowed for one request, returned however the request ends.
class Lease {
 public:
  Lease(std::mutex& mu, std::vector<std::unique_ptr<HttpClient>>& idle) : mu_(mu), idle_(idle) {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      http_ = std::move(idle_.back());
      idle_.pop_back();
    }
    if (!http_) http_ = std::make_unique<HttpClient>();  // a throw here leaves idle_ as it was
  }
  ~Lease() {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(http_));
  }
  HttpClient& get() { return *http_; }

 private:
  std::mutex& mu_;
  std::vector<std::unique_ptr<HttpClient>>& idle_;
  std::unique_ptr<HttpClient> http_;
};

}  // namespace

HttpResponse HttpPool::send(const HttpRequest& request) {
  Lease lease(mu_, idle_);
  return lease.get().send(request);
}

}  // namespace berth
