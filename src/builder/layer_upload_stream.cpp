#include "builder/layer_upload_stream.h"

#include "core/error.h"
#include "image/layer_compress.h"

namespace berth {
namespace {

constexpr size_t kInFlight = 256 << 20;  // the commit waits while this much is unsent

}  // namespace

LayerUploadStream::LayerUploadStream(RegistryClient& client, std::string repo)
    : client_(client), repo_(std::move(repo)), budget_(kInFlight), queue_(budget_) {}

LayerUploadStream::~LayerUploadStream() {
  if (state_ == State::kSending && !finished_)
    queue_.fail(std::make_exception_ptr(Error("the layer's commit failed")));
  wait();
}

void LayerUploadStream::write(const char* data, size_t n) {
  if (state_ == State::kLeft) return;
  if (state_ == State::kSending) {
    queue_.push(std::string(data, n));
    return;
  }
  sample_.append(data, n);
  if (sample_.size() < kCompressionSample) return;
  if (sample_compresses(sample_)) {
    state_ = State::kLeft;
    std::string().swap(sample_);
    return;
  }
  start();
}

void LayerUploadStream::start() {
  state_ = State::kSending;
  queue_.push(std::move(sample_));
  thread_ = std::thread([this] {
    try {
      client_.upload_blob_stream(repo_, queue_, [this] {
        if (diff_id_.str().empty()) throw Error("the layer's tar ended before its commit did");
        return diff_id_;
      });
      sent_ = true;
    } catch (...) {
      queue_.abandon();  // the commit goes on without waiting for it
    }
  });
}

void LayerUploadStream::finish(const Digest& diff_id) {
  finished_ = true;
  if (state_ != State::kSending) {
    state_ = State::kLeft;  // smaller than the sample: CacheUploadAhead's
    return;
  }
  diff_id_ = diff_id;
  queue_.close();
}

bool LayerUploadStream::wait() {
  if (thread_.joinable()) thread_.join();
  return sent_;
}

}  // namespace berth
