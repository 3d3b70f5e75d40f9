// Layer and archive compression: detected by magic bytes (gzip, zstd, or none)
// and undone as a stream. bzip2 and xz are refused with a clear message: no
// image format in use writes them.
#pragma once

#include <memory>
#include <string>

#include "core/byte_reader.h"

namespace berth {

enum class Compression { kNone, kGzip, kZstd };

const char* compression_name(Compression c);

// Wraps a raw stream; the first read() detects the format from its first bytes.
class DecompressingReader : public ByteReader {
 public:
  DecompressingReader(ByteReader& raw, std::string what);
  ~DecompressingReader() override;
  size_t read(void* buf, size_t size) override;
  // Valid after the first read().
  Compression compression() const { return compression_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  Compression compression_ = Compression::kNone;
};

}  // namespace berth
