#include "archive/image_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "archive/layer_apply.h"
#include "archive/layer_extractor.h"
#include "archive/tar_reader.h"
#include "core/chunk_queue.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/manifest.h"
#include "core/platform.h"
#include "core/reference.h"
#include "store/registration.h"

namespace berth {
namespace {

constexpr int64_t kInMemoryLimit = 1 << 20;  // small members stay in memory
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
struct Member {
  std::string bytes;
  std::filesystem::path file;  // spooled copy, if any
  Digest digest;
  int64_t size = 0;
  std::optional<StreamedLayer> streamed;
  bool needs_spool = false;  // the bytes are needed after all (see spool_again)

  // A reader over the member's bytes, from memory or its spooled file (kept open in *fd).
  std::unique_ptr<ByteReader> open(UniqueFd* fd) const {
    if (file.empty()) return std::make_unique<StringReader>(bytes);
    *fd = open_or_throw(file, O_RDONLY);
    return std::make_unique<FdReader>(fd->get(), file.string());
  }
};

void check_diff_id(const std::string& what, const Digest& actual, const Digest& expected) {
  if (actual != expected)
    throw Error(what + ": content does not match the config's diff ID (it is " + actual.str() + ")");
}

bool looks_like_tar(const std::string& first_block) {
  if (first_block.size() < 512) return false;
  if (first_block.compare(257, 5, "ustar") == 0) return true;
  return std::all_of(first_block.begin(), first_block.end(), [](char c) { return c == 0; });  // empty tar
}

// An uncompressed layer being extracted on its own thread, fed from the
// archive stream through a bounded in-memory queue.
struct Extraction {
  std::string name;
  std::filesystem::path dir;
  std::unique_ptr<ChunkQueue> queue;
  std::thread thread;
  AppliedLayer applied;
  Digest digest;  // of the member, hashed by the reading thread
  std::exception_ptr error;
};

class Members {
 public:
  Members(Store& store, std::filesystem::path work) : store_(store), work_(std::move(work)) {}
  ~Members() { stop_extractions(); }

  void read_all(int fd) {
    try {
      for_each_member(fd, [&](const std::string& name, HashingReader& data, int64_t size) {
        Member m;
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
          PrefixedReader rest(head, data);
          m.file = spool(rest);
        }
        data.drain();
        if (static_cast<int64_t>(data.size()) != m.size) throw Error("archive: member \"" + name + "\" is truncated");
        m.digest = data.digest();
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
  void spool_again(int fd) {
    if (::lseek(fd, 0, SEEK_SET) != 0) throw_errno("rewind archive");
    for_each_member(fd, [&](const std::string& name, HashingReader& data, int64_t) {
      auto it = members_.find(name);
      if (it == members_.end() || !it->second.needs_spool || !it->second.file.empty()) return data.drain();
      it->second.file = spool(data);
      if (data.digest() != it->second.digest) throw Error("archive: member \"" + name + "\" changed while loading");
    });
  }

  bool any_needs_spool() const {
    return std::any_of(members_.begin(), members_.end(),
                       [](const auto& kv) { return kv.second.needs_spool && kv.second.file.empty(); });
  }

  Member* find(const std::string& name) {
    std::string clean;
    if (!clean_member_name(name, &clean)) return nullptr;
    auto it = members_.find(clean);
    return it == members_.end() ? nullptr : &it->second;
  }
  Member& get(const std::string& name, const std::string& what) {
    Member* m = find(name);
    if (!m) throw Error("archive: " + what + " \"" + name + "\" is missing");
    return *m;
  }
  std::string text(const Member& m) const { return m.file.empty() ? m.bytes : read_file(m.file); }
  Member* blob(const Digest& d) { return find(std::string(kBlobsDir) + d.hex()); }

 private:
  template <typename Fn>
  void for_each_member(int fd, Fn fn) {
    FdReader file(fd, "archive");
    DecompressingReader plain(file, "archive");
    TarReader tar(plain, "archive");
    while (tar.next()) {
      if (archive_entry_filetype(tar.entry()) != AE_IFREG) continue;
      std::string name;
      if (!clean_member_name(archive_entry_pathname(tar.entry()), &name)) continue;  // never used as a path
      HashingReader data(tar.data());
      fn(name, data, archive_entry_size(tar.entry()));
    }
  }

  // A content-addressed member must be what its name says.
  static void check_name(const std::string& name, const Digest& digest) {
    if (name.rfind(kBlobsDir, 0) != 0) return;
    std::string hex = name.substr(kBlobsDir.size());
    if (Digest::is_hex64(hex) && digest.hex() != hex)
      throw Error("archive: blob " + hex.substr(0, 12) + " does not match its digest (content is " + digest.str() + ")");
  }

  // Starts extracting a layer member on another thread and feeds it the
  // member's bytes; at most one extraction per core runs at a time.
  void feed_extraction(const std::string& name, const std::string& head, ByteReader& data) {
    size_t running = 0;
    for (auto& e : extractions_) running += e->thread.joinable();
    for (auto& e : extractions_) {
      if (running < std::max(2u, std::thread::hardware_concurrency())) break;
      if (e->thread.joinable()) {
        e->thread.join();
        --running;
      }
    }
    auto ex = std::make_unique<Extraction>();
    ex->name = name;
    ex->dir = work_ / ("s" + std::to_string(n_++));
    std::filesystem::create_directory(ex->dir);
    ex->queue = std::make_unique<ChunkQueue>(budget_);
    Extraction* e = ex.get();
    extractions_.push_back(std::move(ex));
    e->thread = std::thread([e] {
      try {
        e->applied = apply_layer(*e->queue, e->dir, "layer " + e->name, /*hashed_by_caller=*/true);
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
  void finish_extractions() {
    std::exception_ptr first;
    for (auto& e : extractions_) {
      if (e->thread.joinable()) e->thread.join();
      if (e->error && !first) first = e->error;
    }
    if (first) std::rethrow_exception(first);
    for (auto& e : extractions_) {
      Member& m = members_.at(e->name);
      m.needs_spool = !e->applied.tar_split;  // the archive must be kept
      e->applied.diff_id = e->applied.blob = m.digest = e->digest;
      check_name(e->name, m.digest);
      m.streamed = StreamedLayer{e->dir, e->applied, false};
    }
  }

  // On failure: unblock and join every extraction thread.
  void stop_extractions() {
    for (auto& e : extractions_) {
      e->queue->fail(std::make_exception_ptr(Error("archive reading stopped")));
      if (e->thread.joinable()) e->thread.join();
    }
  }

  // blobs/sha256/<diff ID> of a layer the store already has: no need to extract it.
  bool store_has_diff(const std::string& name) {
    if (name.rfind(kBlobsDir, 0) != 0 || !Digest::is_hex64(name.substr(kBlobsDir.size()))) return false;
    return store_.layers().has_diff(Digest::from_hex(name.substr(kBlobsDir.size())));
  }

  std::filesystem::path spool(ByteReader& data) {
    std::filesystem::path path = work_ / ("m" + std::to_string(n_++));
    UniqueFd out = open_or_throw(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    std::vector<char> buf(1 << 20);
    for (size_t k; (k = data.read(buf.data(), buf.size())) > 0;) write_all(out.get(), buf.data(), k, path);
    return path;
  }

  Store& store_;
  std::filesystem::path work_;
  std::map<std::string, Member> members_;
  int n_ = 0;
  MemoryBudget budget_{256 << 20};  // bytes read but not yet extracted, over all layers
  std::vector<std::unique_ptr<Extraction>> extractions_;
};

struct PendingLayer {
  Member* member;
  std::string media_type;  // "" → from the detected compression
  std::optional<Digest> expected_blob;
};

struct PendingImage {
  ImageConfig config;
  std::vector<PendingLayer> layers;
  std::vector<std::string> tags;  // full names
  std::optional<Digest> manifest;
  std::string manifest_bytes;
};

std::vector<std::string> parse_repo_tags(const Json& tags) {
  std::vector<std::string> out;
  if (tags.is_null()) return out;
  if (!tags.is_array()) throw Error("archive: RepoTags is not an array");
  for (const Json& t : tags) {
    if (!t.is_string()) throw Error("archive: RepoTags holds a non-string");
    Reference r = parse_normalized_named_or_throw(t.get<std::string>());
    if (r.tag.empty() || !r.digest.empty())
      throw Error("archive: invalid tag \"" + t.get<std::string>() + "\" in RepoTags");
    out.push_back(r.str());
  }
  return out;
}

std::vector<PendingImage> from_docker_manifest(Members& members, const Member& manifest_json) {
  Json doc = Json::parse(members.text(manifest_json), nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) throw Error("archive: manifest.json is not a JSON array");
  std::vector<PendingImage> images;
  for (const Json& entry : doc) {
    if (!entry.is_object() || !entry.contains("Config") || !entry["Config"].is_string())
      throw Error("archive: manifest.json entry has no Config");
    std::string config_name = entry["Config"];
    const Member& config = members.get(config_name, "config");
    PendingImage img{ImageConfig::parse(members.text(config), "archive: config " + config_name), {}, {}, {}, {}};
    img.tags = parse_repo_tags(entry.value("RepoTags", Json()));
    Json layers = entry.value("Layers", Json::array());
    if (!layers.is_array()) throw Error("archive: Layers is not an array");
    for (const Json& l : layers) {
      if (!l.is_string()) throw Error("archive: Layers holds a non-string");
      img.layers.push_back({&members.get(l, "layer"), "", std::nullopt});
    }
    images.push_back(std::move(img));
  }
  return images;
}

// Picks the manifest for this machine from an index.
Descriptor pick_platform(const Index& idx, const std::string& what) {
  if (std::optional<Descriptor> d = pick_manifest(idx, Platform::host())) return *d;
  for (const Descriptor& d : idx.manifests)
    if (!d.platform.is_object() && !is_index_media_type(d.media_type)) return d;
  if (idx.manifests.empty()) throw Error(what + ": index lists no manifests");
  return idx.manifests.front();
}

std::vector<PendingImage> from_oci_layout(Members& members, const Member& index_json) {
  Index top = parse_index(members.text(index_json), "archive: index.json");
  std::vector<PendingImage> images;
  for (const Descriptor& desc : top.manifests) {
    Descriptor d = desc;
    const Member* m = members.blob(d.digest);
    if (!m) throw Error("archive: manifest " + d.digest.str() + " is missing");
    std::string bytes = members.text(*m);
    if (is_index_media_type(d.media_type) || (d.media_type.empty() && bytes.find("\"manifests\"") != std::string::npos)) {
      d = pick_platform(parse_index(bytes, "archive: index " + d.digest.str()), "archive");
      m = members.blob(d.digest);
      if (!m) throw Error("archive: manifest " + d.digest.str() + " is missing");
      bytes = members.text(*m);
    }
    Manifest man = parse_manifest(bytes, "archive: manifest " + d.digest.str());
    const Member* config = members.blob(man.config.digest);
    if (!config) throw Error("archive: config " + man.config.digest.str() + " is missing");
    PendingImage img{ImageConfig::parse(members.text(*config), "archive: config " + man.config.digest.str()), {}, {}, d.digest, bytes};
    for (const Descriptor& l : man.layers) {
      Member* lm = members.blob(l.digest);
      if (!lm) throw Error("archive: layer " + l.digest.str() + " is missing");
      img.layers.push_back({lm, l.media_type, l.digest});
    }
    std::string name = desc.annotations.value("io.containerd.image.name", "");
    std::string ref_name = desc.annotations.value("org.opencontainers.image.ref.name", "");
    if (name.empty() && ref_name.find_first_of(":/") != std::string::npos) name = ref_name;
    if (!name.empty()) img.tags = parse_repo_tags(Json::array({name}));
    images.push_back(std::move(img));
  }
  return images;
}

// Checks that a layer the store already holds (so it is not extracted again)
// came with the bytes its config names: never trust a name without its bytes.
void verify_known_layer(const Member& m, const Digest& diff, const std::optional<Digest>& expected_blob,
                        const std::string& what) {
  if (expected_blob && m.digest != *expected_blob) throw Error(what + ": blob does not match its digest");
  Digest actual = m.digest;  // an uncompressed tar: hashed while it streamed by
  if (m.streamed) {
    actual = m.streamed->applied.diff_id;
  } else if (m.digest != diff && (!m.file.empty() || !m.bytes.empty())) {
    UniqueFd fd;
    actual = hash_layer_archive(*m.open(&fd), what).diff_id;
  }
  check_diff_id(what, actual, diff);
}

struct LayerJob {
  Digest chain, diff;
  std::optional<Digest> parent;
  PendingLayer* layer;
  enum { kVerify, kUseStreamed, kExtract } action;
};

// Decides, per layer of every image, whether it is known (verify only), was
// extracted while streaming (use it), or must be extracted from its bytes.
// Members whose bytes turn out to be needed are marked for spool_again().
std::vector<LayerJob> plan_layers(Store& store, std::vector<PendingImage>& images) {
  std::vector<LayerJob> jobs;
  std::set<Digest> planned;
  for (PendingImage& img : images) {
    if (img.layers.size() != img.config.diff_ids.size())
      throw Error("archive: image has " + std::to_string(img.layers.size()) + " layers but its config lists " +
                  std::to_string(img.config.diff_ids.size()) + " diff IDs");
    std::vector<Digest> chains = chain_ids(img.config.diff_ids);
    for (size_t i = 0; i < chains.size(); ++i) {
      LayerJob job{chains[i], img.config.diff_ids[i], i ? std::optional(chains[i - 1]) : std::nullopt,
                   &img.layers[i], LayerJob::kVerify};
      Member& m = *img.layers[i].member;
      if (!planned.count(chains[i]) && !store.layers().get(chains[i])) {
        planned.insert(chains[i]);
        if (m.streamed && !m.streamed->used) {
          m.streamed->used = true;
          job.action = LayerJob::kUseStreamed;
        } else {
          job.action = LayerJob::kExtract;
          if (m.file.empty() && m.bytes.empty()) m.needs_spool = true;
        }
      }
      jobs.push_back(job);
    }
  }
  return jobs;
}

StagedLayer staged_layer(const LayerJob& job, const std::filesystem::path& dir, const AppliedLayer& applied) {
  std::string what = "layer " + job.diff.str();
  check_diff_id(what, applied.diff_id, job.diff);
  if (job.layer->expected_blob && applied.blob != *job.layer->expected_blob)
    throw Error(what + ": blob does not match its digest");
  const Member& m = *job.layer->member;
  StagedLayer s;
  s.dir = dir;
  s.info.chain_id = job.chain;
  s.info.parent = job.parent;
  describe_applied_layer(applied, &s.info);
  if (s.info.blob && !job.layer->media_type.empty()) s.info.blob_media_type = job.layer->media_type;
  s.blob_file = m.file;
  s.blob_bytes = m.file.empty() ? &m.bytes : nullptr;
  return s;
}

// Runs the plan: verifications and extractions from spooled bytes in parallel.
std::map<Digest, StagedLayer> run_layer_jobs(const std::vector<LayerJob>& jobs, const std::filesystem::path& work) {
  std::vector<std::exception_ptr> errors(jobs.size());
  std::vector<std::optional<StagedLayer>> results(jobs.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < jobs.size();) {
      try {
        const LayerJob& job = jobs[i];
        const Member& m = *job.layer->member;
        std::string what = "layer " + job.diff.str();
        switch (job.action) {
          case LayerJob::kVerify:
            verify_known_layer(m, job.diff, job.layer->expected_blob, what);
            break;
          case LayerJob::kUseStreamed:
            results[i] = staged_layer(job, m.streamed->dir, m.streamed->applied);
            break;
          case LayerJob::kExtract: {
            std::filesystem::path dir = work / ("x" + job.chain.hex());
            std::filesystem::create_directory(dir);
            UniqueFd fd;
            results[i] = staged_layer(job, dir, apply_layer(*m.open(&fd), dir, what));
            break;
          }
        }
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  size_t n = std::min<size_t>(jobs.size(), std::max(2u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (size_t t = 0; t < n; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::map<Digest, StagedLayer> staged;
  for (size_t i = 0; i < jobs.size(); ++i)
    if (results[i]) staged[jobs[i].chain] = std::move(*results[i]);
  return staged;
}

std::string familiar(const std::string& full) { return parse_normalized_named_or_throw(full).familiar_str(); }

}  // namespace

LoadReport load_images(Store& store, int fd) {
  StagingDir staging = store.make_staging_dir("load");
  // A pipe cannot be read twice; the rare second pass (spool_again) needs to.
  UniqueFd input(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  struct stat st;
  if (::fstat(fd, &st) != 0) throw_errno("stat archive");
  if (!S_ISREG(st.st_mode)) {
    std::filesystem::path copy = staging.path() / "input";
    UniqueFd out = open_or_throw(copy, O_WRONLY | O_CREAT | O_EXCL, 0600);
    FdReader in(fd, "stdin");
    std::vector<char> buf(1 << 20);
    for (size_t k; (k = in.read(buf.data(), buf.size())) > 0;) write_all(out.get(), buf.data(), k, copy);
    input = open_or_throw(copy, O_RDONLY);
  }

  Members members(store, staging.path());
  members.read_all(input.get());
  std::vector<PendingImage> images;
  if (const Member* m = members.find("manifest.json"))
    images = from_docker_manifest(members, *m);
  else if (const Member* idx = members.find("index.json"))
    images = from_oci_layout(members, *idx);
  else
    throw Error("archive: no manifest.json or index.json: not a `docker save` or OCI layout archive");
  if (images.empty()) throw Error("archive: no images in it");

  std::vector<LayerJob> jobs = plan_layers(store, images);
  if (members.any_needs_spool()) members.spool_again(input.get());
  std::map<Digest, StagedLayer> staged = run_layer_jobs(jobs, staging.path());
  sync_filesystem(staging.path());

  Registration reg(store);
  LoadReport report;
  int64_t now = unix_now();
  for (PendingImage& img : images) {
    std::vector<Digest> chains = chain_ids(img.config.diff_ids);
    for (size_t i = 0; i < chains.size(); ++i) {
      auto it = staged.find(chains[i]);
      if (it != staged.end()) {
        reg.add_layer(it->second);
      } else if (!store.layers().get(chains[i])) {
        // Planned as already stored, but an rmi/prune removed it since; inside
        // the transaction now, so this cannot change any more.
        throw Error("layer " + img.config.diff_ids[i].str() +
                    " was removed by another berth command during the load; run the load again");
      }
    }
    Digest id = reg.add_image(img.config.raw, chains.empty() ? std::nullopt : std::optional(chains.back()),
                              img.manifest ? std::optional(img.manifest_bytes) : std::nullopt, now);
    if (img.tags.empty()) report.lines.push_back("Loaded image ID: " + id.str());
    for (const std::string& tag : img.tags) {
      if (std::optional<Digest> old = reg.tag(tag, id, now))
        report.lines.push_back("The image " + familiar(tag) + " already exists, renaming the old one with ID " +
                               old->str() + " to empty string");
      report.lines.push_back("Loaded image: " + familiar(tag));
    }
  }
  reg.commit();
  return report;
}

}  // namespace berth
