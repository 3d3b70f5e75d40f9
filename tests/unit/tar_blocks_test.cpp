// Go's archive/tar rules at the tar reader's door (archive/tar_blocks.h):
// malformed numeric fields, PAX records and sizes are refused by name, and
// what every real writer produces passes.
#include "archive/tar_blocks.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/error.h"

namespace {

using berth::parse_pax_records;
using berth::parse_tar_number;

// A ustar header block; `size_field` is written as given (12 bytes).
std::string header(const std::string& name, char type, const std::string& size_field) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), name.size());
  std::memcpy(h.data() + 100, "0000644", 7);
  std::memcpy(h.data() + 108, "0000000", 7);
  std::memcpy(h.data() + 116, "0000000", 7);
  std::memcpy(h.data() + 124, size_field.data(), std::min<size_t>(size_field.size(), 12));
  std::memcpy(h.data() + 136, "14000000000", 11);
  h[156] = type;
  std::memcpy(h.data() + 257, "ustar\0" "00", 8);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof chk, "%06o", sum);
  std::memcpy(h.data() + 148, chk, 7);
  return h;
}

std::string octal_size(size_t n) {
  char f[12];
  std::snprintf(f, sizeof f, "%011zo", n);
  return std::string(f, 11);
}

std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

std::string pax(const std::string& records) {
  return header("PaxHeaders/x", 'x', octal_size(records.size())) + padded(records);
}

std::string end_blocks() { return std::string(1024, '\0'); }

struct Seen : berth::TarBlockWalker {
  Seen() : TarBlockWalker("test tar") {}
  std::vector<berth::TarMember> members;
  size_t data = 0;
  void on_member(const berth::TarMember& m) override { members.push_back(m); }
  void on_data(const char*, size_t n) override { data += n; }
};

// Fed in odd-sized pieces, as a decompressor hands them on.
void feed(Seen& w, const std::string& stream) {
  for (size_t at = 0; at < stream.size(); at += 333) w.feed(stream.data() + at, std::min<size_t>(333, stream.size() - at));
}

std::string error_of(const std::string& stream) {
  Seen w;
  try {
    feed(w, stream);
  } catch (const berth::Error& e) {
    return e.what();
  }
  return "";
}

TEST(TarNumber, OctalPaddedAsWritersPadIt) {
  EXPECT_EQ(parse_tar_number(std::string("0000644\0", 8)), 0644u);
  EXPECT_EQ(parse_tar_number(std::string("  644 \0\0", 8)), 0644u);
  EXPECT_EQ(parse_tar_number(std::string(8, '\0')), 0u);
  EXPECT_EQ(parse_tar_number(std::string(8, ' ')), 0u);
  EXPECT_EQ(parse_tar_number(std::string("17777777777\0", 12)), 017777777777u);
}

TEST(TarNumber, MalformedIsRefused) {
  EXPECT_FALSE(parse_tar_number(std::string("00006x4\0", 8)));
  EXPECT_FALSE(parse_tar_number(std::string("0000648\0", 8)));
  EXPECT_FALSE(parse_tar_number(std::string("12 34\0\0\0", 8)));
  EXPECT_FALSE(parse_tar_number(std::string("-000001\0", 8)));
  EXPECT_FALSE(parse_tar_number(std::string("0x10\0\0\0\0", 8)));
}

TEST(TarNumber, BaseTwoFiftySix) {
  std::string big(12, '\0');
  big[0] = static_cast<char>(0x80);
  big[11] = 5;
  big[10] = 1;
  EXPECT_EQ(parse_tar_number(big), 261u);
  std::string negative(12, '\xff');
  EXPECT_FALSE(parse_tar_number(negative));
}

TEST(PaxRecords, ExactRecordsOnly) {
  auto ok = parse_pax_records("18 path=some/file\n10 size=7\n");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0], (std::pair<std::string, std::string>{"path", "some/file"}));
  EXPECT_EQ((*ok)[1].second, "7");
  EXPECT_FALSE(parse_pax_records("99 path=some/file\n"));   // runs past the header
  EXPECT_FALSE(parse_pax_records("18 path=some/fileX"));    // no newline where it ends
  EXPECT_FALSE(parse_pax_records("12 pathnoeq\n"));         // no '='
  EXPECT_FALSE(parse_pax_records("x9 path=a\n"));           // length not a number
  EXPECT_FALSE(parse_pax_records("3 a\n"));                 // shorter than any record
  EXPECT_TRUE(parse_pax_records("")->empty());
}

TEST(TarBlockWalker, AWellFormedStreamPasses) {
  std::string stream = header("a.txt", '0', octal_size(5)) + padded("hello") +
                       pax("18 path=long/name\n") + header("ignored", '0', octal_size(0)) +
                       header("dir", '5', octal_size(0)) + end_blocks() + std::string(8192, '\0');
  Seen w;
  feed(w, stream);
  ASSERT_EQ(w.members.size(), 3u);
  EXPECT_EQ(w.members[0].name, "a.txt");
  EXPECT_EQ(w.members[0].size, 5u);
  EXPECT_EQ(w.members[1].name, "long/name");  // the PAX path wins
  EXPECT_EQ(w.members[2].type, '5');
  EXPECT_EQ(w.data, 5u);
}

TEST(TarBlockWalker, MalformedHeadersAreRefusedByName) {
  EXPECT_NE(error_of(header("a", '0', "00000000x05") + padded("hello") + end_blocks()).find("size field is not a number"),
            std::string::npos);
  EXPECT_NE(error_of(pax("11 size=x7\n") + header("a", '0', octal_size(0)) + end_blocks()).find("PAX size is not a number"),
            std::string::npos);
  EXPECT_NE(error_of(pax("40 path=a\n") + header("a", '0', octal_size(0)) + end_blocks()).find("malformed PAX record"),
            std::string::npos);
  std::string bad_sum = header("a", '0', octal_size(0));
  bad_sum[0] = 'b';
  EXPECT_NE(error_of(bad_sum + end_blocks()).find("bad checksum"), std::string::npos);
  EXPECT_NE(error_of(header("l", '2', octal_size(10)) + padded("0123456789") + end_blocks()).find("with data"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(512, '\0') + header("after", '0', octal_size(0)) + end_blocks()).find("after a zero block"),
            std::string::npos);
  EXPECT_NE(error_of(header("big", 'x', octal_size(2 << 20))).find("extended header"), std::string::npos);
  // Every message names the stream.
  EXPECT_EQ(error_of(bad_sum).rfind("test tar: invalid tar header: ", 0), 0u);
}

}  // namespace
