#include "builder/layer_upload_stream.h"

#include "core/error.h"
#include "image/layer_compress.h"

namespace berth {

LayerUploadStream::LayerUploadStream(RegistryClient& client, std::string repo, MemoryBudget& budget)
    : client_(client), repo_(std::move(repo)), queue_(budget) {}

LayerUploadStream::~LayerUploadStream() {
  if (!finished_) give_up();  // the commit failed
  wait();
}

void LayerUploadStream::write(const char* data, size_t n) noexcept {
  try {
    if (state_ == State::kLeft) return;
    if (state_ == State::kSending) {
      std::string chunk(data, n);
      if (!queue_.try_push(chunk)) give_up();  // the registry is that far behind
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
  } catch (...) {
    give_up();
  }
}

void LayerUploadStream::give_up() {
  if (state_ == State::kSending) queue_.fail(std::make_exception_ptr(Error("the layer's upload was dropped")));
  state_ = State::kLeft;
  std::string().swap(sample_);
}

void LayerUploadStream::start() {
  if (!queue_.try_push(sample_)) return give_up();
  state_ = State::kSending;
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

void LayerUploadStream::cancel() { queue_.fail(std::make_exception_ptr(Error("the layer's upload was cancelled"))); }

bool LayerUploadStream::wait() {
  if (thread_.joinable()) thread_.join();
  return sent_;
}

}  // namespace berth
