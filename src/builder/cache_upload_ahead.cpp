#include "builder/cache_upload_ahead.h"

#include "core/error.h"
#include "registry/image_pusher.h"
#include "store/store.h"

namespace berth {
namespace {

constexpr int kUploadsAtOnce = 2;
constexpr size_t kStreamedUnsent = 256 << 20;

}  // namespace

CacheUploadAhead::CacheUploadAhead(std::filesystem::path store_root, std::unique_ptr<RegistryClient> client,
                                   std::string repo)
    : store_root_(std::move(store_root)), client_(std::move(client)), repo_(std::move(repo)), streaming_(kStreamedUnsent) {
  for (int i = 0; i < kUploadsAtOnce; ++i) threads_.emplace_back([this] { run(); });
}

CacheUploadAhead::~CacheUploadAhead() {
  std::deque<Committed> dropped;  // its streams end outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  for (Committed& c : dropped)
    if (c.streamed) c.streamed->cancel();
  changed_.notify_all();
  for (std::thread& t : threads_) t.join();
}

std::unique_ptr<LayerUploadStream> CacheUploadAhead::stream_layer() {
  return std::make_unique<LayerUploadStream>(*client_, repo_, streaming_);
}

void CacheUploadAhead::add(const Digest& chain_id, std::unique_ptr<LayerUploadStream> streamed) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({chain_id, std::move(streamed)});
  }
  changed_.notify_all();
}

void CacheUploadAhead::finish() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [this] { return queue_.empty() && busy_ == 0; });
}

void CacheUploadAhead::run() {
  std::optional<Store> store;  // its own connection: SQLite connections stay on their thread
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    Committed layer = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    try {
      // Sent while it was made: then the push below finds it with one HEAD.
      if (layer.streamed) layer.streamed->wait();
      if (!store) store.emplace(store_root_);
      if (std::optional<LayerInfo> info = store->layers().get(layer.chain_id))
        push_layers(*store, *client_, repo_, {*info}, "", PushOptions{.incompressible_as_tar = true},
                    [](const LayerProgress&) {});
    } catch (...) {
      // the export at the end does it again, and reports
    }
    lock.lock();
    --busy_;
    changed_.notify_all();
  }
}

}  // namespace berth
