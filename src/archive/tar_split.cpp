#include "archive/tar_split.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "archive/layer_extractor.h"
#include "archive/tar_blocks.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// Record format (before compression): a sequence of
//   'R' <u64 length> <bytes>              raw stream bytes
//   'F' <u64 size> <u32 name length> <name>   a file's content, read from diff/<name>
constexpr char kRaw = 'R';
constexpr char kFile = 'F';

void put_u64(std::string* out, uint64_t v) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_u32(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }

}  // namespace

// The stream's structure is kept as it is; regular files' data is left out.
class TarSplitRecorder::Impl : public TarBlockWalker {
 public:
  explicit Impl(std::string what) : TarBlockWalker(std::move(what)) {}

  bool ok_ = true;
  std::string record_;
  std::vector<std::string> files_;

 private:
  void on_structure(const char* p, size_t n) override { raw(p, n); }

  void on_member(const TarMember& m) override {
    data_is_content_ = false;
    if (m.sparse) ok_ = false;  // GNU sparse: the stream cannot be rebuilt from the file
    bool regular = m.type == '0' || m.type == '\0' || m.type == '7';
    if (!ok_ || !regular || m.size == 0) return;  // other data is kept as it is
    std::string clean;
    if (!clean_member_name(m.name, &clean) || !seen_.insert(clean).second) ok_ = false;
    files_.push_back(clean);
    record_.push_back(kFile);
    put_u64(&record_, m.size);
    put_u32(&record_, static_cast<uint32_t>(clean.size()));
    record_ += clean;
    last_raw_ = std::string::npos;
    data_is_content_ = true;
  }

  void on_data(const char* p, size_t n) override {
    if (!data_is_content_) raw(p, n);
  }

  void raw(const char* p, size_t n) {
    if (n == 0 || !ok_) return;  // (a record that is not representable is not kept)
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

  bool data_is_content_ = false;
  size_t last_raw_ = std::string::npos;
  std::set<std::string> seen_;
};

TarSplitRecorder::TarSplitRecorder(ByteReader& inner, std::string what)
    : impl_(std::make_unique<Impl>(std::move(what))), inner_(inner) {}
TarSplitRecorder::~TarSplitRecorder() = default;

size_t TarSplitRecorder::read(void* buf, size_t size) {
  size_t n = inner_.read(buf, size);
  impl_->feed(static_cast<const char*>(buf), n);  // throws for a malformed header
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
