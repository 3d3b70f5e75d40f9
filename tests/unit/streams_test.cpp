// Digests and the streaming chain: hashing, gzip (incl. multi-member) and
// zstd detection by magic bytes, truncation detected.
#include <gtest/gtest.h>
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

TEST(Decompress, PlainGzipZstdAllYieldTheSameBytesAndDigest) {
  std::string plain = payload();
  for (auto [data, kind] : {std::pair{plain, berth::Compression::kNone}, std::pair{gzip(plain), berth::Compression::kGzip},
                            std::pair{zstd(plain), berth::Compression::kZstd}}) {
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

TEST(Decompress, ConcatenatedGzipMembersAreOneStream) {
  std::string data = gzip("hello ") + gzip("world");
  berth::StringReader raw(data);
  berth::DecompressingReader d(raw, "test");
  EXPECT_EQ(read_all(d), "hello world");
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

  std::string bz = "BZh91AY&SY";
  berth::StringReader r3(bz);
  EXPECT_THROW(berth::DecompressingReader(r3, "test"), berth::Error);
}
