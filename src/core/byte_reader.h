// Pull-style byte streams that compose: file → digest of the blob →
// decompression → digest of the tar → extraction, in one pass (docs/architecture.md §1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/digest.h"

namespace berth {

class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `size` bytes; returns 0 only at the end of the stream.
  virtual size_t read(void* buf, size_t size) = 0;
  // Reads and discards the rest of the stream (so digests cover all of it).
  void drain();
};

// Reads a file descriptor it does not own.
class FdReader : public ByteReader {
 public:
  FdReader(int fd, std::string what) : fd_(fd), what_(std::move(what)) {}
  size_t read(void* buf, size_t size) override;
  uint64_t bytes_read() const { return total_; }

 private:
  int fd_;
  std::string what_;
  uint64_t total_ = 0;
};

// Passes bytes through, showing each piece to `watch` on the way.
class TeeReader : public ByteReader {
 public:
  TeeReader(ByteReader& inner, std::function<void(const char*, size_t)> watch)
      : inner_(inner), watch_(std::move(watch)) {}
  size_t read(void* buf, size_t size) override;

 private:
  ByteReader& inner_;
  std::function<void(const char*, size_t)> watch_;
};

// Passes bytes through, hashing and counting them.
class HashingReader : public ByteReader {
 public:
  explicit HashingReader(ByteReader& inner) : inner_(inner) {}
  size_t read(void* buf, size_t size) override;
  Digest digest() { return hash_.finish(); }
  uint64_t size() const { return size_; }
  // Stops hashing (still counting): for when another hasher sees the same bytes.
  void stop_hashing() { hashing_ = false; }

 private:
  ByteReader& inner_;
  Sha256 hash_;
  uint64_t size_ = 0;
  bool hashing_ = true;
};

}  // namespace berth

namespace berth {

// Reads from bytes held in memory (small archive members).
class StringReader : public ByteReader {
 public:
  explicit StringReader(std::string_view data) : data_(data) {}
  size_t read(void* buf, size_t size) override;

 private:
  std::string_view data_;
};

}  // namespace berth

namespace berth {

// Replays bytes already read (a peeked header), then continues with the stream.
class PrefixedReader : public ByteReader {
 public:
  PrefixedReader(std::string prefix, ByteReader& rest) : prefix_(std::move(prefix)), rest_(rest) {}
  size_t read(void* buf, size_t size) override;

 private:
  std::string prefix_;
  size_t pos_ = 0;
  ByteReader& rest_;
};

// Reads until `size` bytes or the end of the stream.
std::string read_up_to(ByteReader& in, size_t size);

}  // namespace berth
