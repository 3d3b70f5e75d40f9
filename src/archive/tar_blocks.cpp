#include "archive/tar_blocks.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace berth {
namespace {

constexpr size_t kBlock = 512;
constexpr uint64_t kMaxExtendedHeader = 1 << 20;  // Go's maxSpecialFileSize

std::string c_string(const char* field, size_t len) { return std::string(field, strnlen(field, len)); }

std::optional<uint64_t> parse_octal(std::string_view field) {
  size_t b = field.find_first_not_of(std::string_view(" \0", 2));
  if (b == std::string_view::npos) return 0;
  size_t e = field.find_last_not_of(std::string_view(" \0", 2));
  std::string_view digits = field.substr(b, e - b + 1);
  digits = digits.substr(0, digits.find('\0'));  // Go's parseString: up to the first NUL
  if (digits.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '7' || v > (UINT64_MAX >> 3)) return std::nullopt;
    v = v * 8 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::optional<uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;  // beyond int64: Go's ParseInt fails too
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return v;
}

// A PAX time: seconds, optionally a fraction ("1700000000.123").
bool valid_pax_time(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  size_t dot = s.find('.');
  if (!parse_decimal(s.substr(0, dot))) return false;
  if (dot == std::string_view::npos) return true;
  std::string_view frac = s.substr(dot + 1);
  return std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool tar_checksum_matches(const char* h) {
  std::optional<uint64_t> given = parse_octal(std::string_view(h + 148, 8));
  if (!given) return false;
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    bool in_field = i >= 148 && i < 156;
    unsigned_sum += in_field ? ' ' : static_cast<unsigned char>(h[i]);
    signed_sum += in_field ? ' ' : static_cast<signed char>(h[i]);
  }
  return static_cast<int64_t>(*given) == unsigned_sum || static_cast<int64_t>(*given) == signed_sum;
}

std::optional<uint64_t> parse_tar_number(std::string_view field) {
  if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80)) {
    if (static_cast<unsigned char>(field[0]) & 0x40) return std::nullopt;  // negative
    uint64_t v = 0;
    for (size_t i = 0; i < field.size(); ++i) {
      if (v >> 56) return std::nullopt;  // overflow
      v = (v << 8) | (static_cast<unsigned char>(field[i]) & (i == 0 ? 0x7f : 0xff));
    }
    if (v >> 63) return std::nullopt;
    return v;
  }
  return parse_octal(field);
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_pax_records(std::string_view data) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!data.empty()) {
    size_t space = data.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    std::optional<uint64_t> len = parse_decimal(data.substr(0, space));
    if (!len || *len < 5 || *len > data.size() || *len <= space + 1) return std::nullopt;
    std::string_view record = data.substr(space + 1, *len - space - 2);
    if (data[*len - 1] != '\n') return std::nullopt;
    size_t eq = record.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    out.emplace_back(std::string(record.substr(0, eq)), std::string(record.substr(eq + 1)));
    data.remove_prefix(*len);
  }
  return out;
}

void TarBlockWalker::malformed(const std::string& why) const { throw Error(what_ + ": invalid tar header: " + why); }

void TarBlockWalker::feed(const char* p, size_t n) {
  while (n > 0) {
    size_t take;
    if (data_left_ > 0) {
      take = static_cast<size_t>(std::min<uint64_t>(data_left_, n));
      on_data(p, take);
      data_left_ -= take;
    } else if (extended_left_ > 0) {
      take = static_cast<size_t>(std::min<uint64_t>(extended_left_, n));
      extended_.append(p, take);
      on_structure(p, take);
      extended_left_ -= take;
      if (extended_left_ == 0) finish_extended();
    } else if (pad_left_ > 0) {
      take = std::min(pad_left_, n);
      on_structure(p, take);
      pad_left_ -= take;
    } else {
      take = std::min(kBlock - header_.size(), n);
      header_.append(p, take);
      on_structure(p, take);
      if (header_.size() == kBlock) {
        on_header();
        header_.clear();
      }
    }
    p += take;
    n -= take;
  }
}

void TarBlockWalker::on_header() {
  const char* h = header_.data();
  if (zero_blocks_ >= 2) return;  // past the end: no reader looks here
  if (std::all_of(header_.begin(), header_.end(), [](char c) { return c == 0; })) {
    ++zero_blocks_;  // two end the archive
    return;
  }
  if (zero_blocks_ == 1) malformed("a header after a zero block");  // libarchive would read on, Go stops
  if (!tar_checksum_matches(h)) malformed("bad checksum");
  char type = h[156];
  struct Field {
    const char* name;
    size_t at, len;
  };
  static constexpr Field kFields[] = {{"mode", 100, 8}, {"uid", 108, 8}, {"gid", 116, 8}, {"size", 124, 12},
                                      {"mtime", 136, 12}};
  for (const Field& f : kFields)
    if (!parse_tar_number(std::string_view(h + f.at, f.len))) malformed(std::string(f.name) + " field is not a number");
  bool ustar = std::memcmp(h + 257, "ustar\0", 6) == 0, gnu = std::memcmp(h + 257, "ustar  \0", 8) == 0;
  if ((ustar || gnu) && (type == '3' || type == '4'))
    for (size_t at : {329, 337})
      if (!parse_tar_number(std::string_view(h + at, 8))) malformed("device field is not a number");
  uint64_t size = *parse_tar_number(std::string_view(h + 124, 12));
  if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
    if (size > kMaxExtendedHeader) malformed("an extended header of " + std::to_string(size) + " bytes");
    extended_type_ = type;
    extended_.clear();
    extended_left_ = size;
    pad_left_ = (kBlock - size % kBlock) % kBlock;
    if (size == 0) finish_extended();
    return;
  }
  TarMember m;
  m.type = type;
  m.name = c_string(h, 100);
  if (ustar) {
    std::string prefix = c_string(h + 345, 155);
    if (!prefix.empty()) m.name = prefix + "/" + m.name;
  }
  if (!long_name_.empty()) m.name = long_name_;
  if (!pax_path_.empty()) m.name = pax_path_;
  m.size = pax_size_ ? *pax_size_ : size;
  m.sparse = type == 'S' || pax_sparse_;
  long_name_.clear();
  pax_path_.clear();
  pax_size_.reset();
  pax_sparse_ = false;
  // Links, directories, devices and fifos: Go reads no data after them
  // whatever their size says, libarchive does for some (a PAX hard link):
  // the two would part ways here.
  if ((type >= '1' && type <= '6') && m.size > 0) malformed("a link, directory, device or fifo with data");
  on_member(m);
  data_left_ = m.size;
  pad_left_ = (kBlock - m.size % kBlock) % kBlock;
}

void TarBlockWalker::finish_extended() {
  if (extended_type_ == 'L') {
    long_name_ = c_string(extended_.data(), extended_.size());
  } else if (extended_type_ == 'x' || extended_type_ == 'g') {
    auto records = parse_pax_records(extended_);
    if (!records) malformed("a malformed PAX record");
    for (const auto& [key, value] : *records) {
      if (key == "size" || key == "uid" || key == "gid") {
        std::optional<uint64_t> v = parse_decimal(value);
        if (!v) malformed("PAX " + key + " is not a number");
        if (key == "size" && extended_type_ == 'x') pax_size_ = *v;
      } else if (key == "mtime" || key == "atime" || key == "ctime") {
        if (!valid_pax_time(value)) malformed("PAX " + key + " is not a time");
      } else if (extended_type_ == 'x' && key == "path") {
        pax_path_ = value;
      } else if (key.starts_with("GNU.sparse.")) {
        pax_sparse_ = true;
      }
    }
  }
  extended_type_ = 0;
  extended_.clear();
}

}  // namespace berth
