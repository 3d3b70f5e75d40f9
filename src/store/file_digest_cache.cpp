#include "store/file_digest_cache.h"

#include <unistd.h>

#include "core/byte_reader.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/timestamp.h"

namespace berth {
namespace {

constexpr int64_t kKeepDays = 30;  // entries unused for this long are forgotten

}  // namespace

FileDigestCache::FileDigestCache(Database& db, std::optional<int64_t> now_ns)
    : db_(db),
      lookup_(db.prepare("SELECT size, mtime_ns, ctime_ns, digest, seen_day FROM file_digests WHERE dev = ? AND ino = ?")) {
  if (!now_ns) now_ns = now_unix_nanos();
  racy_after_ns_ = *now_ns - 1000000000;
  today_ = *now_ns / 1000000000 / 86400;
}

FileDigestCache::~FileDigestCache() {
  if (reading_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The connection closes soon after; SQLite ends the transaction then.
    }
  }
}

FileDigestCache::Row FileDigestCache::row_of(const struct stat& st) {
  return {static_cast<int64_t>(st.st_dev), static_cast<int64_t>(st.st_ino), static_cast<int64_t>(st.st_size),
          unix_nanos(st.st_mtim), unix_nanos(st.st_ctim), ""};
}

std::optional<std::string> FileDigestCache::remembered(const struct stat& st) {
  Row row = row_of(st);
  if (!reading_) {
    db_.exec("BEGIN");  // one read transaction for all the lookups, not one (and its locks) each
    reading_ = true;
  }
  lookup_.bind(1, row.dev).bind(2, row.ino);
  std::optional<std::string> known;
  if (lookup_.next() && lookup_.integer(0) == row.size && lookup_.integer(1) == row.mtime_ns &&
      lookup_.integer(2) == row.ctime_ns) {
    known = lookup_.text(3);
    if (lookup_.integer(4) != today_) used_.emplace_back(row.dev, row.ino);
  }
  lookup_.reset();
  return known;
}

void FileDigestCache::learn(const struct stat& st, const std::string& digest) {
  Row row = row_of(st);
  row.digest = digest;
  if (row.ctime_ns < racy_after_ns_) learnt_.push_back(std::move(row));
}

std::string FileDigestCache::digest(int fd, const struct stat& st) {
  if (std::optional<std::string> known = remembered(st)) return *known;
  std::string digest = read_digest(fd);
  learn(st, digest);
  return digest;
}

std::string FileDigestCache::read_digest(int fd) {
  FdReader file(fd, "a file to hash");
  HashingReader hash(file);
  hash.drain();
  return hash.digest().hex();
}

void FileDigestCache::save() {
  if (reading_) {
    db_.exec("COMMIT");
    reading_ = false;
  }
  if (learnt_.empty() && used_.empty()) return;
  Transaction tx(db_);
  Statement put = db_.prepare(
      "INSERT OR REPLACE INTO file_digests(dev, ino, size, mtime_ns, ctime_ns, digest, seen_day) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const Row& r : learnt_) {
    put.bind(1, r.dev).bind(2, r.ino).bind(3, r.size).bind(4, r.mtime_ns).bind(5, r.ctime_ns);
    put.bind(6, r.digest).bind(7, today_).run();
    put.reset();
  }
  Statement touch = db_.prepare("UPDATE file_digests SET seen_day = ? WHERE dev = ? AND ino = ?");
  for (const auto& [dev, ino] : used_) {
    touch.bind(1, today_).bind(2, dev).bind(3, ino).run();
    touch.reset();
  }
  db_.prepare("DELETE FROM file_digests WHERE seen_day < ?").bind(1, today_ - kKeepDays).run();
  tx.commit();
  learnt_.clear();
  used_.clear();
}

}  // namespace berth
