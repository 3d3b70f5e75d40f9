// The block structure of a tar stream, followed as the bytes pass — headers,
// GNU long names and PAX records, member data, padding, end blocks — and the
// rules Go's archive/tar applies to what a header holds (Docker and
// containerd read every layer with it):
//   - a numeric field is octal, padded with spaces and NULs at either end
//     (empty is 0), or base-256 with the high bit set; never anything else;
//   - the checksum is right (as unsigned or signed bytes);
//   - a PAX record is exactly "LEN key=value\n" within the extended header,
//     and a PAX size, uid, gid or mtime is a decimal number;
//   - an extended header (PAX, GNU long name) is at most 1 MiB.
// libarchive, which extracts, is more lenient: a header the two could read
// differently is refused here with an Error naming what is wrong, before
// libarchive acts on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth {

// A numeric header field as Go reads it; nullopt when it is malformed or
// does not fit (negative base-256 values too: no field here may be negative).
std::optional<uint64_t> parse_tar_number(std::string_view field);

// Whether a 512-byte block's checksum field matches its bytes (the field
// counted as spaces; as unsigned or signed bytes, as Go accepts both).
bool tar_checksum_matches(const char* block);

// PAX extended header data as records; nullopt when a record is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_pax_records(std::string_view data);

// What a header describes, GNU long names and PAX records applied.
struct TarMember {
  std::string name;  // as stored (not cleaned)
  char type = '0';
  uint64_t size = 0;        // of its data in the stream
  bool sparse = false;      // GNU sparse, old or PAX: its data is not the file
};

class TarBlockWalker {
 public:
  // `what` names the stream in errors ("layer sha256:…").
  explicit TarBlockWalker(std::string what) : what_(std::move(what)) {}
  virtual ~TarBlockWalker() = default;

  // The next bytes of the stream. Throws Error for a malformed header.
  void feed(const char* p, size_t n);

 protected:
  // Header blocks, extended header data, padding and end blocks.
  virtual void on_structure(const char* /*p*/, size_t /*n*/) {}
  // A member's header was read; its data follows.
  virtual void on_member(const TarMember& /*m*/) {}
  // Bytes of the current member's data.
  virtual void on_data(const char* /*p*/, size_t /*n*/) {}

 private:
  void on_header();
  void finish_extended();
  [[noreturn]] void malformed(const std::string& why) const;

  std::string what_;
  std::string header_;
  uint64_t data_left_ = 0, extended_left_ = 0;
  size_t pad_left_ = 0;
  char extended_type_ = 0;  // 'x', 'g', 'L', 'K' while its data passes
  std::string extended_;
  std::string long_name_, pax_path_;
  std::optional<uint64_t> pax_size_;
  bool pax_sparse_ = false;
  int zero_blocks_ = 0;  // in a row; two end the archive
};

}  // namespace berth
