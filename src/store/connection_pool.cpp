#include "store/connection_pool.h"

#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <vector>

namespace berth {
namespace {

constexpr size_t kMaxIdle = 8;

struct IdleConnection {
  std::filesystem::path path;
  dev_t device;
  ino_t inode;
  pid_t owner;  // a forked child must not use (or close) its parent's connections
  std::unique_ptr<Database> db;
};

struct Pool {
  std::mutex mutex;
  std::vector<IdleConnection> idle;
  ~Pool() {
    for (IdleConnection& c : idle)
      if (c.owner != ::getpid()) (void)c.db.release();
  }
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

PooledConnection::PooledConnection(const std::filesystem::path& path) : path_(path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    std::lock_guard lock(pool().mutex);
    std::vector<IdleConnection>& idle = pool().idle;
    for (auto it = idle.begin(); it != idle.end(); ++it) {
      if (it->path != path || it->owner != ::getpid()) continue;
      if (it->device != st.st_dev || it->inode != st.st_ino) continue;
      device_ = it->device;
      inode_ = it->inode;
      db_ = std::move(it->db);
      idle.erase(it);
      return;
    }
  }
  db_ = std::make_unique<Database>(path);
}

PooledConnection::~PooledConnection() {
  if (!db_) return;
  if (inode_ == 0) {  // SQLite creates a new file at its first use, not at open
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) return;
    device_ = st.st_dev;
    inode_ = st.st_ino;
  }
  std::lock_guard lock(pool().mutex);
  if (pool().idle.size() < kMaxIdle)
    pool().idle.push_back({path_, device_, inode_, ::getpid(), std::move(db_)});
}

}  // namespace berth
