#include "archive/tar_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>

#include "core/error.h"

namespace berth {

struct TarReaderCallbacks {
  static la_ssize_t read(struct archive* a, void* self, const void** buf) {
    auto* t = static_cast<TarReader*>(self);
    try {
      size_t n = t->in_.read(t->buffer_.data(), t->buffer_.size());
      t->check_.feed(t->buffer_.data(), n);
      *buf = t->buffer_.data();
      return static_cast<la_ssize_t>(n);
    } catch (...) {
      t->stream_error_ = std::current_exception();
      archive_set_error(a, EIO, "read failed");
      return -1;
    }
  }
};

TarReader::TarReader(ByteReader& in, std::string what)
    : in_(in), what_(std::move(what)), check_(what_), buffer_(1 << 20) {
  a_ = archive_read_new();
  if (!a_) throw Error("out of memory");
  archive_read_support_format_tar(a_);
  archive_read_support_format_gnutar(a_);
  archive_read_support_format_empty(a_);
  if (archive_read_open(a_, this, nullptr, TarReaderCallbacks::read, nullptr) != ARCHIVE_OK) {
    try {
      fail("not a tar archive");
    } catch (...) {
      archive_read_free(a_);  // no destructor runs for a constructor that throws (found by fuzz_tar_layer)
      throw;
    }
  }
}

TarReader::~TarReader() { archive_read_free(a_); }

void TarReader::rethrow_stream_error() const {
  if (stream_error_) std::rethrow_exception(stream_error_);
}

void TarReader::fail(const std::string& doing) {
  rethrow_stream_error();
  const char* msg = archive_error_string(a_);
  throw Error(what_ + ": " + doing + " (" + (msg ? msg : "unknown error") + ")");
}

bool TarReader::next() {
  int rc = archive_read_next_header(a_, &entry_);
  if (rc == ARCHIVE_EOF) return false;
  if (rc == ARCHIVE_FATAL) fail("invalid tar archive");
  return true;
}

std::string TarReader::path() const {
  const char* p = archive_entry_pathname(entry_);
  return p ? p : "";
}
bool TarReader::is_regular_file() const { return archive_entry_filetype(entry_) == AE_IFREG; }
std::string TarReader::symlink_target() const {
  if (archive_entry_filetype(entry_) != AE_IFLNK) return "";
  const char* t = archive_entry_symlink(entry_);
  return t ? t : "";
}
int64_t TarReader::size() const { return archive_entry_size(entry_); }

size_t TarReader::DataReader::read(void* buf, size_t size) {
  la_ssize_t n = archive_read_data(t_.a_, buf, size);
  if (n < 0) t_.fail("reading member data");
  return static_cast<size_t>(n);
}

}  // namespace berth
