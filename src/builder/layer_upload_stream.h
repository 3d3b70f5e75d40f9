// --cache-to type=registry,mode=max: a step's layer sent to the cache's
// repository while its commit makes the tar (and hashes its diff ID from the
// same bytes), not read again afterwards. A layer that does not compress
// goes as its plain tar, so the upload can start before the tar ends: its
// digest is the diff ID, given at the end (PATCH, then PUT ?digest=). One
// that compresses is left to CacheUploadAhead, which compresses it once the
// commit is done; so is a layer smaller than the sample that decides.
//
// Only a hint, as CacheUploadAhead is: a failure is silent and the upload is
// made again from the stored layer. The registry checks the digest. The
// commit never waits for it: when the registry falls behind by the budget
// shared by every stream, the stream is dropped, and the layer goes up
// after its commit as the others do.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "core/chunk_queue.h"
#include "core/digest.h"
#include "registry/registry_client.h"

namespace berth {

class LayerUploadStream {
 public:
  // `budget`: what every stream together may hold unsent.
  LayerUploadStream(RegistryClient& client, std::string repo, MemoryBudget& budget);
  LayerUploadStream(const LayerUploadStream&) = delete;
  ~LayerUploadStream();  // an unfinished tar's upload is dropped

  // The tar's bytes, as the commit makes them (the commit's thread). Never
  // throws, never waits.
  void write(const char* data, size_t n) noexcept;
  // The tar is complete, and its digest is `diff_id`.
  void finish(const Digest& diff_id);
  // Waits for the upload; true when the registry took the blob.
  bool wait();
  // Stops the upload where it is (the build is ending without it).
  void cancel();

 private:
  void start();
  void give_up();  // the layer goes up after its commit instead

  RegistryClient& client_;
  std::string repo_;
  enum class State { kSampling, kSending, kLeft } state_ = State::kSampling;
  std::string sample_;  // the tar's first bytes, until they decide
  ChunkQueue queue_;
  Digest diff_id_;  // written before queue_ ends, read after
  bool finished_ = false;
  std::atomic<bool> sent_{false};
  std::thread thread_;
};

}  // namespace berth
