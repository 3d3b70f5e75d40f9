// SQLite connections a process keeps for its next Store on the same file.
// Opening one costs more than most queries run on it: reading the schema,
// compiling statements, and (for the first connection) creating the WAL and
// its shared-memory index, which the last one to close checkpoints and
// deletes. A CLI command opens the store once; `system service` opens it for
// every request and reuses its connections through this pool.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>

#include "store/database.h"

namespace berth {

// A connection borrowed from the pool (or opened) for one Store's lifetime.
class PooledConnection {
 public:
  explicit PooledConnection(const std::filesystem::path& path);
  PooledConnection(const PooledConnection&) = delete;
  ~PooledConnection();  // back to the pool, or closed when the pool is full

  Database& operator*() { return *db_; }
  Database* operator->() { return db_.get(); }

 private:
  std::filesystem::path path_;
  dev_t device_ = 0;  // of the file it was opened on: a store deleted and
  ino_t inode_ = 0;   // made again at the same path is another file
  std::unique_ptr<Database> db_;
};

}  // namespace berth
