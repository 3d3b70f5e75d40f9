#include "image/archive_members.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "archive/layer_extractor.h"
#include "archive/tar_reader.h"
#include "core/decompress.h"
#include "core/error.h"

namespace berth {
namespace {

constexpr int64_t kInMemoryLimit = 1 << 20;  // small members stay in memory

bool looks_like_tar(const std::string& first_block) {
  if (first_block.size() < 512) return false;
  if (first_block.compare(257, 5, "ustar") == 0) return true;
  return std::all_of(first_block.begin(), first_block.end(), [](char c) { return c == 0; });  // empty tar
}

}  // namespace

// An uncompressed layer being extracted on its own thread, fed from the
// archive stream through a bounded in-memory queue.
struct StreamExtraction {
  std::string name;
  std::filesystem::path dir;
  std::unique_ptr<ChunkQueue> queue;
  std::thread thread;
  AppliedLayer applied;
  Digest digest;  // of the member, hashed by the reading thread
  std::exception_ptr error;
};

std::unique_ptr<ByteReader> ArchiveMember::open(UniqueFd* fd) const {
  if (!file) return std::make_unique<StringReader>(bytes);
  *fd = open_or_throw(file->file(), O_RDONLY);
  return std::make_unique<FdReader>(fd->get(), file->file().string());
}

void check_diff_id(const std::string& what, const Digest& actual, const Digest& expected) {
  if (actual != expected)
    throw Error(what + ": content does not match the config's diff ID (it is " + actual.str() + ")");
}

ArchiveMembers::ArchiveMembers(Store& store, std::filesystem::path work) : store_(store), work_(std::move(work)) {}

ArchiveMembers::~ArchiveMembers() { stop_extractions(); }

void ArchiveMembers::read_all(int fd) {
  try {
    for_each_member(fd, [&](const std::string& name, HashingReader& data, int64_t size) {
      ArchiveMember m;
      m.size = size;
      std::string head = read_up_to(data, 512);
      bool extracting = looks_like_tar(head) && !store_has_diff(name);
      if (extracting) {
        // This thread hashes the bytes (blob digest = diff ID); the extraction
        // thread only writes files.
        feed_extraction(name, head, data);
      } else if (looks_like_tar(head)) {
        data.drain();  // a layer the store has: only its digest matters
      } else if (size < kInMemoryLimit) {
        m.bytes = head + read_up_to(data, static_cast<size_t>(size));
      } else {
        data.stop_hashing();  // the store hashes what it spools, head and all
        PrefixedReader rest(head, data);
        m.file = spool(rest);
      }
      data.drain();
      if (static_cast<int64_t>(data.size()) != m.size) throw Error("archive: member \"" + name + "\" is truncated");
      m.digest = m.file ? m.file->digest() : data.digest();
      if (extracting) {
        extractions_.back()->digest = m.digest;
        members_[name] = std::move(m);  // checked when its extraction ends
        return;
      }
      check_name(name, m.digest);
      members_[name] = std::move(m);
    });
  } catch (...) {
    stop_extractions();
    throw;
  }
  finish_extractions();
}

// Second pass, only in rare cases (a layer tar-split cannot describe, or one
// used twice): copies the members still needed as bytes.
void ArchiveMembers::spool_again(int fd) {
  if (::lseek(fd, 0, SEEK_SET) != 0) throw_errno("rewind archive");
  for_each_member(fd, [&](const std::string& name, HashingReader& data, int64_t) {
    auto it = members_.find(name);
    if (it == members_.end() || !it->second.needs_spool || it->second.file) return data.drain();
    data.stop_hashing();  // the store hashes what it spools
    it->second.file = spool(data);
    if (it->second.file->digest() != it->second.digest) throw Error("archive: member \"" + name + "\" changed while loading");
  });
}

bool ArchiveMembers::any_needs_spool() const {
  return std::any_of(members_.begin(), members_.end(),
                     [](const auto& kv) { return kv.second.needs_spool && !kv.second.file; });
}

std::string ArchiveMembers::text(const ArchiveMember& m, const std::string& what) const {
  if (m.size > kMaxDocument)
    throw Error(what + " is " + std::to_string(m.size) + " bytes, more than the " + std::to_string(kMaxDocument) +
                " a JSON document may have");
  return m.file ? read_file(m.file->file()) : m.bytes;
}

ArchiveMember* ArchiveMembers::find(const std::string& name) {
  std::string clean;
  if (!clean_member_name(name, &clean)) return nullptr;
  for (int hops = 0; hops < 8; ++hops) {  // a link to a link, but never a loop
    if (auto it = members_.find(clean); it != members_.end()) return &it->second;
    auto link = links_.find(clean);
    if (link == links_.end()) return nullptr;
    clean = link->second;
  }
  return nullptr;
}

ArchiveMember& ArchiveMembers::get(const std::string& name, const std::string& what) {
  ArchiveMember* m = find(name);
  if (!m) throw Error("archive: " + what + " \"" + name + "\" is missing");
  return *m;
}

// A content-addressed member must be what its name says.
void ArchiveMembers::check_name(const std::string& name, const Digest& digest) {
  if (name.rfind(kBlobsDir, 0) != 0) return;
  std::string hex = name.substr(kBlobsDir.size());
  if (Digest::is_hex64(hex) && digest.hex() != hex)
    throw Error("archive: blob " + hex.substr(0, 12) + " does not match its digest (content is " + digest.str() + ")");
}

// Starts extracting a layer member on another thread and feeds it the
// member's bytes; at most one extraction per core runs at a time.
void ArchiveMembers::feed_extraction(const std::string& name, const std::string& head, ByteReader& data) {
  size_t running = 0;
  for (auto& e : extractions_) running += e->thread.joinable();
  for (auto& e : extractions_) {
    if (running < std::max(2u, std::thread::hardware_concurrency())) break;
    if (e->thread.joinable()) {
      e->thread.join();
      --running;
    }
  }
  auto ex = std::make_unique<StreamExtraction>();
  ex->name = name;
  ex->dir = work_ / ("s" + std::to_string(n_++));
  std::filesystem::create_directory(ex->dir);
  ex->queue = std::make_unique<ChunkQueue>(budget_);
  StreamExtraction* e = ex.get();
  extractions_.push_back(std::move(ex));
  e->thread = std::thread([e] {
    try {
      e->applied = apply_layer(*e->queue, e->dir, "layer " + e->name, LayerHashing::kByCaller);
    } catch (...) {
      e->error = std::current_exception();
      e->queue->abandon();
    }
  });
  e->queue->push(head);
  while (true) {
    std::string chunk = read_up_to(data, 1 << 20);
    if (chunk.empty()) break;
    e->queue->push(std::move(chunk));
  }
  e->queue->close();
}

// Waits for every extraction and records its result in its member.
void ArchiveMembers::finish_extractions() {
  std::exception_ptr first;
  for (auto& e : extractions_) {
    if (e->thread.joinable()) e->thread.join();
    if (e->error && !first) first = e->error;
  }
  if (first) std::rethrow_exception(first);
  for (auto& e : extractions_) {
    ArchiveMember& m = members_.at(e->name);
    m.needs_spool = !e->applied.tar_split;  // the archive must be kept
    e->applied.diff_id = e->applied.blob = m.digest = e->digest;
    check_name(e->name, m.digest);
    m.streamed = StreamedLayer{e->dir, e->applied, false};
  }
}

// On failure: unblock and join every extraction thread.
void ArchiveMembers::stop_extractions() {
  for (auto& e : extractions_) {
    e->queue->fail(std::make_exception_ptr(Error("archive reading stopped")));
    if (e->thread.joinable()) e->thread.join();
  }
}

// blobs/sha256/<diff ID> of a layer the store already has: no need to extract it.
bool ArchiveMembers::store_has_diff(const std::string& name) {
  if (name.rfind(kBlobsDir, 0) != 0 || !Digest::is_hex64(name.substr(kBlobsDir.size()))) return false;
  return store_.layers().has_diff(Digest::from_hex(name.substr(kBlobsDir.size())));
}

StagedBlob ArchiveMembers::spool(ByteReader& data) {
  BlobWriter out(work_ / ("m" + std::to_string(n_++)), 0644);
  out.copy_from(data);
  return out.finish();
}

void ArchiveMembers::for_each_member(int fd, const std::function<void(const std::string&, HashingReader&, int64_t)>& fn) {
  FdReader file(fd, "archive");
  DecompressingReader plain(file, "archive");
  TarReader tar(plain, "archive");
  while (tar.next()) {
    std::string name;
    if (!clean_member_name(tar.path(), &name)) continue;  // never used as a path
    if (std::string target = tar.symlink_target(); !target.empty()) {
      std::string dir = name.find('/') == std::string::npos ? "" : name.substr(0, name.rfind('/') + 1);
      std::string to;
      if (!target.starts_with("/") && clean_member_name(dir + target, &to) && !to.empty()) links_[name] = to;
      continue;
    }
    if (!tar.is_regular_file()) continue;
    HashingReader data(tar.data());
    fn(name, data, tar.size());
  }
}

}  // namespace berth
