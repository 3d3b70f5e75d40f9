// Writes the outer tar of `berth save`: a few small members and large blobs.
// Blob bodies are copied kernel-side (copy_file_range / sendfile), never
// through user space, which is most of what makes save fast.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/byte_reader.h"

namespace berth {

class TarWriter {
 public:
  TarWriter(int fd, std::string what) : fd_(fd), what_(std::move(what)) {}

  void add_directory(const std::string& name);
  void add_bytes(const std::string& name, std::string_view data);
  // The whole of an open file (read from offset 0 on; `what` names it in errors).
  void add_file(const std::string& name, int in_fd, const std::string& what);
  // A member of known size whose bytes come from a stream (a rebuilt layer tar).
  void add_stream(const std::string& name, int64_t size, ByteReader& data);
  void finish();  // the two zero blocks that end an archive

 private:
  void header(const std::string& name, char type, int64_t size, unsigned mode);
  void pad(int64_t size);
  void write(const void* data, size_t size);

  int fd_;
  std::string what_;
};

}  // namespace berth
