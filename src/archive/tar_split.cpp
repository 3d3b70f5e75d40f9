#include "archive/tar_split.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "archive/layer_extractor.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// Record format (before compression): a sequence of
//   'R' <u64 length> <bytes>              raw stream bytes
//   'F' <u64 size> <u32 name length> <name>   a file's content, read from diff/<name>
constexpr char kRaw = 'R';
constexpr char kFile = 'F';
constexpr size_t kBlock = 512;

void put_u64(std::string* out, uint64_t v) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_u32(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }

// A numeric header field: octal text, or base-256 when the high bit is set.
bool parse_number(const char* field, size_t len, uint64_t* out) {
  if (static_cast<unsigned char>(field[0]) & 0x80) {
    uint64_t v = static_cast<unsigned char>(field[0]) & 0x7f;
    for (size_t i = 1; i < len; ++i) v = (v << 8) | static_cast<unsigned char>(field[i]);
    *out = v;
    return true;
  }
  uint64_t v = 0;
  size_t i = 0;
  while (i < len && (field[i] == ' ' || field[i] == '\0')) ++i;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; ++i) v = v * 8 + static_cast<uint64_t>(field[i] - '0');
  *out = v;
  return true;
}

std::string field_string(const char* field, size_t len) { return std::string(field, strnlen(field, len)); }

// PAX records "LEN key=value\n": returns the value of `key`, if present.
bool pax_value(const std::string& data, const std::string& key, std::string* out) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t space = data.find(' ', pos);
    if (space == std::string::npos) return false;
    size_t len = std::strtoull(data.c_str() + pos, nullptr, 10);
    if (len == 0 || pos + len > data.size()) return false;
    std::string record = data.substr(space + 1, pos + len - space - 2);
    size_t eq = record.find('=');
    if (eq != std::string::npos && record.substr(0, eq) == key) {
      *out = record.substr(eq + 1);
      return true;
    }
    pos += len;
  }
  return false;
}

}  // namespace

class TarSplitRecorder::Impl {
 public:
  void feed(const char* p, size_t n) {
    while (n > 0) {
      if (!ok_) {
        raw(p, n);
        return;
      }
      if (content_left_ > 0) {  // a regular file's data: left out, only counted
        size_t take = static_cast<size_t>(std::min<uint64_t>(content_left_, n));
        content_left_ -= take;
        p += take;
        n -= take;
        continue;
      }
      if (meta_left_ > 0) {  // long names and PAX data: kept, and read for names
        size_t take = static_cast<size_t>(std::min<uint64_t>(meta_left_, n));
        meta_.append(p, take);
        raw(p, take);
        meta_left_ -= take;
        p += take;
        n -= take;
        if (meta_left_ == 0) finish_meta();
        continue;
      }
      if (pad_left_ > 0) {
        size_t take = std::min(pad_left_, n);
        raw(p, take);
        pad_left_ -= take;
        p += take;
        n -= take;
        continue;
      }
      size_t take = std::min(kBlock - header_.size(), n);
      header_.append(p, take);
      raw(p, take);
      p += take;
      n -= take;
      if (header_.size() == kBlock) {
        on_header();
        header_.clear();
      }
    }
  }

  bool ok_ = true;
  std::string record_;
  std::vector<std::string> files_;

 private:
  void raw(const char* p, size_t n) {
    if (n == 0) return;
    if (last_raw_ == std::string::npos) {
      record_.push_back(kRaw);
      last_raw_ = record_.size();
      put_u64(&record_, 0);
    }
    uint64_t len;
    std::memcpy(&len, record_.data() + last_raw_, sizeof len);
    len += n;
    std::memcpy(record_.data() + last_raw_, &len, sizeof len);
    record_.append(p, n);
  }

  void on_header() {
    const char* h = header_.data();
    if (std::all_of(header_.begin(), header_.end(), [](char c) { return c == 0; })) return;  // end blocks
    uint64_t size = 0;
    parse_number(h + 124, 12, &size);
    char type = h[156];
    std::string name = field_string(h, 100);
    if (std::memcmp(h + 257, "ustar", 5) == 0) {
      std::string prefix = field_string(h + 345, 155);
      if (!prefix.empty() && std::memcmp(h + 257, "ustar\0", 6) == 0) name = prefix + "/" + name;
    }
    if (!long_name_.empty()) name = long_name_;
    if (!pax_path_.empty()) name = pax_path_;
    if (pax_size_set_) size = pax_size_;
    switch (type) {
      case 'x': case 'g': case 'L': case 'K':
        meta_type_ = type;
        meta_.clear();
        meta_left_ = size;
        pad_left_ = (kBlock - size % kBlock) % kBlock;
        if (size == 0) finish_meta();
        return;
      case 'S':
        ok_ = false;  // GNU sparse: the stream cannot be rebuilt from the file
        return;
      default:
        break;
    }
    long_name_.clear();
    pax_path_.clear();
    pax_size_set_ = false;
    bool regular = type == '0' || type == '\0' || type == '7';
    if (regular && size > 0) {
      std::string clean;
      if (!clean_member_name(name, &clean) || !seen_.insert(clean).second) ok_ = false;
      files_.push_back(clean);
      record_.push_back(kFile);
      put_u64(&record_, size);
      put_u32(&record_, static_cast<uint32_t>(clean.size()));
      record_ += clean;
      last_raw_ = std::string::npos;
      content_left_ = size;
    } else {
      // Other types carry no data worth leaving out; keep whatever they have.
      meta_type_ = 0;
      meta_left_ = size;
    }
    pad_left_ = (kBlock - size % kBlock) % kBlock;
  }

  void finish_meta() {
    if (meta_type_ == 'L') {
      long_name_ = meta_.substr(0, strnlen(meta_.data(), meta_.size()));
    } else if (meta_type_ == 'x') {
      std::string v;
      if (pax_value(meta_, "path", &v)) pax_path_ = v;
      if (pax_value(meta_, "size", &v)) {
        pax_size_ = std::strtoull(v.c_str(), nullptr, 10);
        pax_size_set_ = true;
      }
      if (pax_value(meta_, "GNU.sparse.major", &v) || pax_value(meta_, "GNU.sparse.size", &v)) ok_ = false;
    }
    meta_type_ = 0;
  }

  std::string header_;
  uint64_t content_left_ = 0, meta_left_ = 0;
  size_t pad_left_ = 0;
  size_t last_raw_ = std::string::npos;
  char meta_type_ = 0;
  std::string meta_, long_name_, pax_path_;
  uint64_t pax_size_ = 0;
  bool pax_size_set_ = false;
  std::set<std::string> seen_;
};

TarSplitRecorder::TarSplitRecorder(ByteReader& inner) : impl_(std::make_unique<Impl>()), inner_(inner) {}
TarSplitRecorder::~TarSplitRecorder() = default;

size_t TarSplitRecorder::read(void* buf, size_t size) {
  size_t n = inner_.read(buf, size);
  impl_->feed(static_cast<const char*>(buf), n);
  return n;
}

bool TarSplitRecorder::representable() const { return impl_->ok_; }
const std::vector<std::string>& TarSplitRecorder::files() const { return impl_->files_; }

void TarSplitRecorder::save(const std::filesystem::path& path) const {
  const std::string& in = impl_->record_;
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  if (ZSTD_isError(n)) throw Error("compress tar-split: " + std::string(ZSTD_getErrorName(n)));
  out.resize(n);
  write_file_atomic(path, out, 0600, Flush::when_full);
}

class TarSplitReader::Impl {
 public:
  Impl(const std::filesystem::path& tar_split, const std::filesystem::path& diff)
      : what_(tar_split.string()), diff_(open_or_throw(diff, O_RDONLY | O_DIRECTORY)) {
    std::string packed = read_file(tar_split);
    unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) throw Error(what_ + ": corrupt tar-split");
    record_.resize(size);
    size_t n = ZSTD_decompress(record_.data(), record_.size(), packed.data(), packed.size());
    if (ZSTD_isError(n) || n != size) throw Error(what_ + ": corrupt tar-split");
  }

  size_t read(char* buf, size_t size) {
    while (true) {
      if (raw_left_ > 0) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(raw_left_, size));
        std::memcpy(buf, record_.data() + pos_, n);
        pos_ += n;
        raw_left_ -= n;
        return n;
      }
      if (file_left_ > 0) {
        ssize_t n = ::read(file_.get(), buf, static_cast<size_t>(std::min<uint64_t>(file_left_, size)));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("read " + file_name_);
        if (n == 0) throw Error("layer file \"" + file_name_ + "\" is shorter than when it was stored; run `berth system check`");
        file_left_ -= static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (pos_ >= record_.size()) return 0;
      char kind = record_[pos_++];
      uint64_t len = take<uint64_t>();
      if (kind == kRaw) {
        if (len > record_.size() - pos_) throw Error(what_ + ": corrupt tar-split");
        raw_left_ = len;
      } else if (kind == kFile) {
        uint32_t name_len = take<uint32_t>();
        if (name_len > record_.size() - pos_) throw Error(what_ + ": corrupt tar-split");
        file_name_ = record_.substr(pos_, name_len);
        pos_ += name_len;
        file_ = open_in_layer(file_name_);
        file_left_ = len;
      } else {
        throw Error(what_ + ": corrupt tar-split");
      }
    }
  }

 private:
  template <typename T>
  T take() {
    T v;
    if (record_.size() - pos_ < sizeof v) throw Error(what_ + ": corrupt tar-split");
    std::memcpy(&v, record_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  // Opens diff/<name> without following any symlink on the way.
  UniqueFd open_in_layer(const std::string& name) {
    UniqueFd fd = open_beneath(diff_.get(), name, O_RDONLY);
    if (!fd) throw_errno("layer file \"" + name + "\"");
    return fd;
  }

  std::string what_;
  UniqueFd diff_;
  std::string record_;
  size_t pos_ = 0;
  uint64_t raw_left_ = 0, file_left_ = 0;
  UniqueFd file_;
  std::string file_name_;
};

TarSplitReader::TarSplitReader(const std::filesystem::path& tar_split, const std::filesystem::path& diff_dir)
    : impl_(std::make_unique<Impl>(tar_split, diff_dir)) {}
TarSplitReader::~TarSplitReader() = default;

size_t TarSplitReader::read(void* buf, size_t size) { return impl_->read(static_cast<char*>(buf), size); }

}  // namespace berth
