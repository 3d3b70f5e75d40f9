// The members of an image archive (docker save output or an OCI layout),
// read in one pass: uncompressed layers are extracted as they stream by, each
// on its own thread fed through a bounded queue (nothing is written twice);
// compressed ones and large files are spooled, to be kept as they are and
// extracted in parallel later; small ones (JSON) stay in memory. Every member
// named by its digest is checked against it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.h"
#include "core/chunk_queue.h"
#include "core/digest.h"
#include "core/fs.h"
#include "image/layer_apply.h"
#include "store/store.h"

namespace berth {

constexpr std::string_view kBlobsDir = "blobs/sha256/";

// An uncompressed layer extracted straight from the archive stream.
struct StreamedLayer {
  std::filesystem::path dir;
  AppliedLayer applied;
  bool used = false;
};

// One member of the archive. Uncompressed layers are extracted as they stream
// by (nothing is written twice); compressed ones are spooled, to be kept as
// they are and extracted in parallel; small ones (JSON) stay in memory.
struct ArchiveMember {
  std::string bytes;
  std::optional<StagedBlob> file;  // spooled copy, if any (hashed by the store as written)
  Digest digest;
  int64_t size = 0;
  std::optional<StreamedLayer> streamed;
  bool needs_spool = false;  // the bytes are needed after all (see spool_again)

  // A reader over the member's bytes, from memory or its spooled file (kept open in *fd).
  std::unique_ptr<ByteReader> open(UniqueFd* fd) const;
};

// Throws unless a layer's tar hashes to the diff ID its config names.
void check_diff_id(const std::string& what, const Digest& actual, const Digest& expected);

struct StreamExtraction;

class ArchiveMembers {
 public:
  ArchiveMembers(Store& store, std::filesystem::path work);
  ~ArchiveMembers();
  // Reads the whole archive once: layers extracted as they stream by, the rest kept.
  void read_all(int fd);
  // Second pass, only in rare cases (a layer tar-split cannot describe, or one
  // used twice): copies the members still needed as bytes.
  void spool_again(int fd);
  bool any_needs_spool() const;
  ArchiveMember* find(const std::string& name);
  ArchiveMember& get(const std::string& name, const std::string& what);
  // A JSON document's bytes (manifest.json, index.json, a manifest, a config),
  // at most kMaxDocument: the distribution spec's bound for manifests.
  std::string text(const ArchiveMember& m, const std::string& what) const;
  static constexpr int64_t kMaxDocument = 4 << 20;
  ArchiveMember* blob(const Digest& d) { return find(std::string(kBlobsDir) + d.hex()); }

 private:
  // Calls fn for each regular member with its cleaned name, its bytes (hashed as read) and its size.
  void for_each_member(int fd, const std::function<void(const std::string&, HashingReader&, int64_t)>& fn);
  // A content-addressed member must be what its name says.
  static void check_name(const std::string& name, const Digest& digest);
  // Starts extracting a layer member on another thread and feeds it the
  // member's bytes; at most one extraction per core runs at a time.
  void feed_extraction(const std::string& name, const std::string& head, ByteReader& data);
  // Waits for every extraction and records its result in its member.
  void finish_extractions();
  // On failure: unblock and join every extraction thread.
  void stop_extractions();
  // blobs/sha256/<diff ID> of a layer the store already has: no need to extract it.
  bool store_has_diff(const std::string& name);
  StagedBlob spool(ByteReader& data);

  Store& store_;
  std::filesystem::path work_;
  std::map<std::string, ArchiveMember> members_;
  // Members that are symbolic links to others, by cleaned name: a legacy
  // `docker save` stores a layer used twice once, the other <id>/layer.tar a
  // relative link to it (only links that stay inside the archive).
  std::map<std::string, std::string> links_;
  int n_ = 0;
  MemoryBudget budget_{256 << 20};  // bytes read but not yet extracted, over all layers
  std::vector<std::unique_ptr<StreamExtraction>> extractions_;
};

}  // namespace berth
