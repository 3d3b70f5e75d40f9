// A tar stream read through libarchive from any ByteReader, one member at a
// time. Errors from the underlying stream (a corrupt gzip, say) surface as
// themselves, not as a vague "read failed". Every header is first checked
// by Go's archive/tar rules (archive/tar_blocks.h): libarchive reads some
// malformed ones that Docker's reader refuses, and reads them its own way.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "archive/tar_blocks.h"
#include "core/byte_reader.h"

// libarchive's handles, opaque here: only the tar codec (src/archive) touches them.
struct archive;
struct archive_entry;

namespace berth {

class TarReader {
 public:
  TarReader(ByteReader& in, std::string what);
  ~TarReader();
  TarReader(const TarReader&) = delete;

  // Advances to the next member; false at the end of the archive.
  bool next();
  // The current member: its name as stored, whether it is a regular file, its size.
  std::string path() const;
  bool is_regular_file() const;
  // A symbolic link's target as stored ("" for any other member).
  std::string symlink_target() const;
  int64_t size() const;
  // libarchive's own handles, for the extractor in this layer.
  struct archive_entry* entry() const { return entry_; }
  struct archive* handle() const { return a_; }
  // The current member's data as a stream.
  ByteReader& data() { return data_; }
  // Throws the stream's own error if there was one, else Error(what: doing (libarchive msg)).
  [[noreturn]] void fail(const std::string& doing);
  void rethrow_stream_error() const;

 private:
  class DataReader : public ByteReader {
   public:
    explicit DataReader(TarReader& t) : t_(t) {}
    size_t read(void* buf, size_t size) override;

   private:
    TarReader& t_;
  };
  friend struct TarReaderCallbacks;

  ByteReader& in_;
  std::string what_;
  TarBlockWalker check_;
  std::vector<char> buffer_;
  std::exception_ptr stream_error_;
  struct archive* a_ = nullptr;
  struct archive_entry* entry_ = nullptr;
  DataReader data_{*this};
};

}  // namespace berth
