// The content digests of build-context files, remembered between builds
// under the file's identity (device, inode, size, mtime, ctime), as git's
// index and BuildKit's content hash cache do: a fully cached build then
// stats its sources instead of reading them all.
//
// A file changed in place keeps its inode but always gets a new ctime, so a
// remembered digest is never used for other content. One case needs care (git's
// "racy" entries): a file written within a clock tick of being hashed could
// change again without its times moving, so files changed in the second before
// the build started are hashed every time and never remembered.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace berth {

class FileDigestCache {
 public:
  // `now_ns` (the realtime clock unless given) is when the build started.
  explicit FileDigestCache(Database& db, std::optional<int64_t> now_ns = std::nullopt);
  FileDigestCache(const FileDigestCache&) = delete;
  ~FileDigestCache();

  // The hex sha256 of the regular file open at `fd` (not yet read), whose
  // fstat is `st`: remembered, or read now.
  std::string digest(int fd, const struct stat& st);
  // digest() in two halves, for a caller that may have the digest from
  // elsewhere: the remembered digest of the file whose fstat is `st`, if its
  // identity is unchanged; and a digest read now, remembered unless racy.
  std::optional<std::string> remembered(const struct stat& st);
  void learn(const struct stat& st, const std::string& digest);
  // The hex sha256 of what is left to read at `fd` (nothing remembered).
  static std::string read_digest(int fd);
  // Records what was learnt (new digests, and when entries were last used).
  void save();

 private:
  struct Row {
    int64_t dev, ino, size, mtime_ns, ctime_ns;
    std::string digest;
  };
  static Row row_of(const struct stat& st);

  Database& db_;
  Statement lookup_;
  int64_t racy_after_ns_;  // files whose ctime is later than this are not remembered
  int64_t today_;
  bool reading_ = false;  // inside the lookups' read transaction
  std::vector<Row> learnt_;
  std::vector<std::pair<int64_t, int64_t>> used_;  // (dev, ino) whose seen_day is older than today
};

}  // namespace berth
