// Digests and the streaming chain: hashing, gzip (incl. multi-member), zstd,
// bzip2 and xz detection by magic bytes, truncation detected.
#include <bzlib.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/digest.h"
#include "core/error.h"

namespace {

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

std::string bzip2(const std::string& in) {
  std::string out(in.size() + in.size() / 100 + 600, '\0');
  unsigned int n = static_cast<unsigned int>(out.size());
  BZ2_bzBuffToBuffCompress(out.data(), &n, const_cast<char*>(in.data()), static_cast<unsigned int>(in.size()), 9, 0, 0);
  out.resize(n);
  return out;
}

std::string xz(const std::string& in) {
  std::string out(lzma_stream_buffer_bound(in.size()), '\0');
  size_t n = 0;
  lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(in.data()), in.size(),
                          reinterpret_cast<uint8_t*>(out.data()), &n, out.size());
  out.resize(n);
  return out;
}

std::string read_all(berth::ByteReader& r) {
  std::string out;
  char buf[7];  // odd, small: exercises partial reads
  for (size_t n; (n = r.read(buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

std::string payload() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

}  // namespace

TEST(Digest, KnownValuesAndValidation) {
  EXPECT_EQ(berth::Digest::of("").str(), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(berth::Digest::of("abc").short_id(), "ba7816bf8f01");
  berth::Digest d;
  EXPECT_FALSE(berth::Digest::try_parse("sha256:ABC", &d));
  EXPECT_FALSE(berth::Digest::try_parse("sha512:" + std::string(64, 'a'), &d));
  EXPECT_TRUE(berth::Digest::try_parse("sha256:" + std::string(64, 'a'), &d));
  EXPECT_THROW(berth::Digest::parse("nope"), berth::Error);
}

TEST(Decompress, EveryFormatYieldsTheSameBytesAndDigest) {
  std::string plain = payload();
  for (auto [data, kind] : {std::pair{plain, berth::Compression::kNone}, std::pair{gzip(plain), berth::Compression::kGzip},
                            std::pair{zstd(plain), berth::Compression::kZstd},
                            std::pair{bzip2(plain), berth::Compression::kBzip2},
                            std::pair{xz(plain), berth::Compression::kXz}}) {
    berth::StringReader raw(data);
    berth::HashingReader blob(raw);
    berth::DecompressingReader d(blob, "test");
    berth::HashingReader tar(d);
    EXPECT_EQ(read_all(tar), plain);
    EXPECT_EQ(d.compression(), kind);
    EXPECT_EQ(tar.digest(), berth::Digest::of(plain));
    EXPECT_EQ(blob.digest(), berth::Digest::of(data));
  }
}

TEST(Decompress, ConcatenatedStreamsAreOne) {
  for (auto compress : {gzip, bzip2, xz}) {
    std::string data = compress("hello ") + compress("world");
    berth::StringReader raw(data);
    berth::DecompressingReader d(raw, "test");
    EXPECT_EQ(read_all(d), "hello world");
  }
}

TEST(Decompress, TruncationAndGarbageAreErrors) {
  std::string gz = gzip(payload());
  std::string cut = gz.substr(0, gz.size() / 2);
  berth::StringReader r1(cut);
  berth::DecompressingReader d1(r1, "test");
  EXPECT_THROW(read_all(d1), berth::Error);

  std::string zs = zstd(payload());
  std::string zcut = zs.substr(0, zs.size() - 10);
  berth::StringReader r2(zcut);
  berth::DecompressingReader d2(r2, "test");
  EXPECT_THROW(read_all(d2), berth::Error);

  for (auto compress : {bzip2, xz}) {
    std::string whole = compress(payload());
    std::string half = whole.substr(0, whole.size() / 2);
    berth::StringReader r3(half);
    berth::DecompressingReader d3(r3, "test");
    EXPECT_THROW(read_all(d3), berth::Error);
  }
}

// An xz block header names its dictionary size, up to 4 GiB: one past the
// memory bound is an error, not an allocation.
TEST(Decompress, XzDictionaryBeyondTheMemoryBoundIsAnError) {
  std::string data = xz(payload());
  auto byte = [&](size_t i) { return static_cast<uint8_t>(data[i]); };
  const size_t block = 12;  // after the stream header
  const size_t block_size = (byte(block) + 1) * 4;
  size_t pos = block + 2;
  auto skip_vli = [&] {
    while (byte(pos++) & 0x80) {
    }
  };
  if (byte(block + 1) & 0x40) skip_vli();  // compressed size
  if (byte(block + 1) & 0x80) skip_vli();  // uncompressed size
  ASSERT_EQ(byte(pos), 0x21);              // LZMA2
  ASSERT_EQ(byte(pos + 1), 1);
  data[pos + 2] = 38;  // a 2 GiB dictionary
  uint32_t crc = lzma_crc32(reinterpret_cast<const uint8_t*>(data.data() + block), block_size - 4, 0);
  for (int i = 0; i < 4; ++i) data[block + block_size - 4 + i] = static_cast<char>(crc >> (8 * i));
  berth::StringReader raw(data);
  berth::DecompressingReader d(raw, "layer");
  try {
    read_all(d);
    FAIL() << "a 2 GiB dictionary was accepted";
  } catch (const berth::Error& e) {
    EXPECT_STREQ(e.what(), "layer: xz data needs more than 512 MiB to decompress");
  }
}
