// tar-split, as Docker keeps it: a layer's tar stream minus the file contents
// (headers, padding, end blocks — a few hundred bytes a file), so the exact
// stream, hence the diff ID, can be rebuilt from the layer's diff/ directory
// without storing the tar twice. Written zstd-compressed beside the layer.
//
// The recorder sits in the uncompressed stream while the layer is extracted
// and follows the tar block structure itself (ustar, GNU long names, PAX).
// A layer it cannot describe exactly (GNU sparse files, a file written twice)
// is reported as not representable, and the caller keeps the archive instead.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/byte_reader.h"

namespace berth {

class TarSplitRecorder : public ByteReader {
 public:
  // `what` names the stream in errors: a header that is malformed
  // (archive/tar_blocks.h) is an Error from read().
  TarSplitRecorder(ByteReader& inner, std::string what);
  ~TarSplitRecorder() override;
  size_t read(void* buf, size_t size) override;

  // True when every byte was accounted for and the stream can be rebuilt.
  bool representable() const;
  // The regular files, in stream order, whose contents were left out.
  const std::vector<std::string>& files() const;
  // Writes the record (zstd-compressed) to `path`.
  void save(const std::filesystem::path& path) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  ByteReader& inner_;
};

// Rebuilds the tar stream of a layer from its tar-split and its diff/.
class TarSplitReader : public ByteReader {
 public:
  TarSplitReader(const std::filesystem::path& tar_split, const std::filesystem::path& diff_dir);
  ~TarSplitReader() override;
  size_t read(void* buf, size_t size) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace berth
