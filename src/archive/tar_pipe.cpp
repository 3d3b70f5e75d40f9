#include "archive/tar_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <utility>
#include <thread>

#include "archive/layer_extractor.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// `write_tar(fd)` on its own thread, writing into a pipe whose read end is ours.
class TarWriterThread {
 public:
  explicit TarWriterThread(const std::function<void(int out_fd)>& write_tar) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) throw_errno("pipe");
    read_end_ = UniqueFd(p[0]);
    write_end_ = UniqueFd(p[1]);
    thread_ = std::thread([this, &write_tar] {
      try {
        write_tar(write_end_.get());
      } catch (...) {
        error_ = std::current_exception();
      }
      write_end_ = UniqueFd();  // end of the stream (or a short one: the reader then fails too)
      ended_ = true;
    });
  }
  ~TarWriterThread() { finish(); }
  int fd() const { return read_end_.get(); }
  // Whether the writer had stopped by itself (its error, if any, came first).
  bool ended() const { return ended_; }
  // Stops reading (unblocking the writer), waits for it, and rethrows what it threw.
  void finish() {
    read_end_ = UniqueFd();
    if (thread_.joinable()) thread_.join();
    if (std::exception_ptr e = std::exchange(error_, nullptr)) std::rethrow_exception(e);
  }
  // The same, for a writer whose error can only be our stopping (a broken pipe).
  void abandon() {
    read_end_ = UniqueFd();
    if (thread_.joinable()) thread_.join();
    error_ = nullptr;
  }

 private:
  UniqueFd read_end_, write_end_;
  std::exception_ptr error_;
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

}  // namespace

void read_written(const std::function<void(int out_fd)>& write_tar, const std::function<void(ByteReader& tar)>& read,
                  const std::string& what) {
  TarWriterThread writer(write_tar);
  try {
    FdReader tar(writer.fd(), what);
    read(tar);
  } catch (...) {
    // A writer that stopped first (a source it could not read) caused the
    // short stream the reader failed on: its error is the one to report.
    // Otherwise the reader failed by itself (a full disk, a refused entry)
    // and the writer's broken pipe is only the symptom.
    if (writer.ended()) writer.finish();
    else writer.abandon();
    throw;
  }
  writer.finish();
}

void copy_through_tar(const std::function<void(int out_fd)>& write_tar, int to_dir_fd, const std::string& what) {
  read_written(write_tar, [&](ByteReader& tar) { extract_layer(tar, to_dir_fd, what); }, what);
}

Digest hash_written(const std::function<void(int out_fd)>& write_tar) {
  Digest d;
  read_written(write_tar, [&](ByteReader& tar) {
    HashingReader hash(tar);
    hash.drain();
    d = hash.digest();
  }, "tar");
  return d;
}

}  // namespace berth
