// The content digests of the build context's COPY sources, computed on a
// thread of its own from the moment the build starts — while FROM pulls its
// base, above all — and handed to the COPY's cache key when it gets there.
// On a CI machine's fresh checkout that key costs a cold read of every
// source file, one small disk request each; a pull is mostly CPU and large
// sequential reads, so the two overlap (bench/build_cache_shared.sh: B's
// build with the registry cache, median 1.61 s before, 1.42–1.56 s after).
//
// What is read: the sources the Dockerfile's COPY and ADD name as written
// (one with a variable in it is left to its COPY), less what .dockerignore
// leaves out, less files whose digests are remembered (file_digest_cache.h).
// The thread goes through them last first, and a file the COPY reaches
// first is the COPY's to read: no file is read twice, and a COPY that starts
// at once (no pull before it) shares the work with the thread. (More
// readers were tried: on two cores they slowed the pull and the COPY's own
// walk as much as they sped up the reading.)
//
// A digest is handed over only for the file it was read from, unchanged: the
// same (device, inode, size, mtime, ctime) before and after the read and when
// the COPY looks at it — the identity file_digest_cache.h trusts — and not
// for a file changed in the 100 ms before it was read (it could change again
// within one clock tick, its times unmoved). Symlinks are not followed and
// other file systems not entered (what the COPY reaches through them, it
// reads itself), and a file that is no longer a regular one is not opened
// for long (a FIFO cannot hold the thread).
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "builder/build_context.h"
#include "builder/build_plan.h"

namespace berth {

// The context sources the needed stages' COPY and ADD instructions name,
// in the order they come: no --from, no heredoc, no URL or git source, no
// variable.
std::vector<std::string> context_sources_of(const BuildPlan& plan);

class ContextHashAhead {
 public:
  // Hashes `sources` (patterns, as COPY expands them) below `context`,
  // skipping what the store at `store_root` remembers.
  // `settled_ns`: how long ago a file must have last changed for its digest
  // to be handed over (the 100 ms above; tests pass 0).
  ContextHashAhead(std::filesystem::path store_root, const BuildContext& context, std::vector<std::string> sources,
                   int64_t settled_ns = 100'000'000);
  ContextHashAhead(const ContextHashAhead&) = delete;
  ~ContextHashAhead();  // stops after the file it is on

  // The hex sha256 of the file whose fstat is `st`, if the thread read it
  // (waiting while it does). Otherwise nothing, and the file is the
  // caller's to read: the thread leaves it alone from now on.
  std::optional<std::string> take(const struct stat& st);
  // Returns once the thread has been through every file (tests: a build never waits for it).
  void wait();

 private:
  struct Identity {
    int64_t size, mtime_ns, ctime_ns;
    bool operator==(const Identity&) const = default;
  };
  enum class State { kHashing, kHashed, kCallers };
  struct Entry {
    Identity identity;
    State state;
    std::string digest;
  };
  using Key = std::pair<uint64_t, uint64_t>;  // device, inode
  static Key key_of(const struct stat& st);
  static Identity identity_of(const struct stat& st);

  void run();
  std::vector<std::filesystem::path> files_to_hash();
  void hash(const std::filesystem::path& file);

  std::filesystem::path store_root_;
  const BuildContext& context_;
  std::vector<std::string> sources_;
  int64_t settled_ns_;
  std::mutex mu_;
  std::condition_variable hashed_;
  std::map<Key, Entry> entries_;  // behind mu_
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: it starts once the rest is made
};

}  // namespace berth
