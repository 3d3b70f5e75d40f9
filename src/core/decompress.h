// Layer and archive compression: detected by magic bytes (gzip, zstd, bzip2,
// xz, or none) and undone as a stream — the formats Docker's ADD and `load`
// undo (image formats write only gzip and zstd; archives ADD unpacks may be
// any of them).
#pragma once

#include <memory>
#include <string>

#include "core/byte_reader.h"

namespace berth {

enum class Compression { kNone, kGzip, kZstd, kBzip2, kXz };

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
