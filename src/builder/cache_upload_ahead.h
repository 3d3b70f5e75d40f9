// --cache-to type=registry,mode=max: each layer a step makes is compressed
// and uploaded to the cache's repository on threads of their own while the
// build goes on (the next RUN, the next stage), so that the export at the end
// finds its blobs there — a HEAD each — and writes only the description.
// Two at a time: a small layer made while a big one goes up does not wait
// for it.
// BuildKit exports everything after the build (moby/buildkit#3299: exports
// that take minutes).
//
// A layer that does not compress goes up while its commit makes its tar
// (layer_upload_stream.h); the rest go up as a push sends them
// (image_pusher.h: compressed once, the blob kept).
//
// Only a hint: a failure here is silent, and the export at the end does the
// work again and says what fails.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "builder/layer_upload_stream.h"
#include "core/digest.h"
#include "registry/registry_client.h"

namespace berth {

class CacheUploadAhead {
 public:
  // Uploads to `repo` through `client`, reading the store at `store_root`.
  CacheUploadAhead(std::filesystem::path store_root, std::unique_ptr<RegistryClient> client, std::string repo);
  CacheUploadAhead(const CacheUploadAhead&) = delete;
  ~CacheUploadAhead();  // what is queued is dropped; an upload under way ends first

  // For a layer a step is about to commit: its tar, sent as it is made.
  std::unique_ptr<LayerUploadStream> stream_layer();
  // A layer a step has just committed (any thread), and its stream if it had one.
  void add(const Digest& chain_id, std::unique_ptr<LayerUploadStream> streamed = nullptr);
  // Returns when every layer added so far has been dealt with.
  void finish();

 private:
  void run();

  std::filesystem::path store_root_;
  std::unique_ptr<RegistryClient> client_;
  std::string repo_;
  MemoryBudget streaming_;  // what the layers streamed as they are made may hold unsent, together
  std::mutex mu_;
  std::condition_variable changed_;
  struct Committed {
    Digest chain_id;
    std::unique_ptr<LayerUploadStream> streamed;
  };
  std::deque<Committed> queue_;
  int busy_ = 0;           // threads on a layer
  bool stopping_ = false;  // no more layers will come
  std::vector<std::thread> threads_;  // last: they start once the rest is made
};

}  // namespace berth
