#include "archive/image_loader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <atomic>
#include <memory>
#include <thread>

#include "core/decompress.h"
#include "archive/layer_apply.h"
#include "archive/layer_extractor.h"
#include "archive/tar_reader.h"
#include "core/error.h"
#include "core/manifest.h"
#include "core/reference.h"
#include "store/registration.h"

namespace berth {
namespace {

constexpr int64_t kInMemoryLimit = 1 << 20;  // members below this stay in memory

// One member of the outer archive: small ones in memory, large ones spooled.
struct Member {
  std::string bytes;
  std::filesystem::path file;  // empty when in memory
  Digest digest;
  int64_t size = 0;
};

class Members {
 public:
  Members(std::filesystem::path spool) : spool_(std::move(spool)) {}

  void read_all(ByteReader& in) {
    DecompressingReader plain(in, "archive");
    TarReader tar(plain, "archive");
    int n = 0;
    while (tar.next()) {
      if (archive_entry_filetype(tar.entry()) != AE_IFREG) continue;
      std::string name;
      if (!clean_member_name(archive_entry_pathname(tar.entry()), &name)) continue;  // never used as a path
      Member m;
      m.size = archive_entry_size(tar.entry());
      HashingReader data(tar.data());
      if (m.size < kInMemoryLimit) {
        char buf[65536];
        for (size_t k; (k = data.read(buf, sizeof buf)) > 0;) m.bytes.append(buf, k);
      } else {
        m.file = spool_ / std::to_string(n++);
        UniqueFd fd = open_or_throw(m.file, O_WRONLY | O_CREAT | O_EXCL, 0644);
        std::vector<char> buf(1 << 20);
        for (size_t k; (k = data.read(buf.data(), buf.size())) > 0;) write_all(fd.get(), buf.data(), k, m.file);
      }
      if (static_cast<int64_t>(data.size()) != m.size) throw Error("archive: member \"" + name + "\" is truncated");
      m.digest = data.digest();
      // A content-addressed member must be what its name says.
      constexpr std::string_view kBlobs = "blobs/sha256/";
      if (name.rfind(kBlobs, 0) == 0) {
        std::string hex = name.substr(kBlobs.size());
        if (Digest::is_hex64(hex) && m.digest.hex() != hex)
          throw Error("archive: blob " + hex.substr(0, 12) + " does not match its digest (content is " + m.digest.str() + ")");
      }
      members_[name] = std::move(m);
    }
  }

  const Member* find(const std::string& name) const {
    std::string clean;
    if (!clean_member_name(name, &clean)) return nullptr;
    auto it = members_.find(clean);
    return it == members_.end() ? nullptr : &it->second;
  }
  const Member& get(const std::string& name, const std::string& what) const {
    const Member* m = find(name);
    if (!m) throw Error("archive: " + what + " \"" + name + "\" is missing");
    return *m;
  }
  std::string text(const Member& m) const { return m.file.empty() ? m.bytes : read_file(m.file); }
  const Member* blob(const Digest& d) const { return find("blobs/sha256/" + d.hex()); }

 private:
  std::filesystem::path spool_;
  std::map<std::string, Member> members_;
};

struct PendingLayer {
  const Member* member;
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

std::vector<PendingImage> from_docker_manifest(const Members& members, const Member& manifest_json) {
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

// Picks the manifest for this machine from an index (linux/amd64 first).
Descriptor pick_platform(const Index& idx, const std::string& what) {
  for (const Descriptor& d : idx.manifests)
    if (d.platform.is_object() && d.platform.value("os", "") == "linux" &&
        d.platform.value("architecture", "") == "amd64")
      return d;
  for (const Descriptor& d : idx.manifests)
    if (!d.platform.is_object() && !is_index_media_type(d.media_type)) return d;
  if (idx.manifests.empty()) throw Error(what + ": index lists no manifests");
  return idx.manifests.front();
}

std::vector<PendingImage> from_oci_layout(const Members& members, const Member& index_json) {
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
      const Member* lm = members.blob(l.digest);
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

// Checks that a layer archive the store already holds (so it is not extracted
// again) is still what the config says: never trust a name without its bytes.
void verify_known_layer(const Member& m, const Digest& diff, const std::optional<Digest>& expected_blob,
                        const std::string& what) {
  if (expected_blob && m.digest != *expected_blob) throw Error(what + ": blob does not match its digest");
  if (m.digest == diff) return;  // an uncompressed tar, already hashed while spooling
  UniqueFd fd;
  std::unique_ptr<ByteReader> raw;
  if (m.file.empty()) {
    raw = std::make_unique<StringReader>(m.bytes);
  } else {
    fd = open_or_throw(m.file, O_RDONLY);
    raw = std::make_unique<FdReader>(fd.get(), m.file.string());
  }
  DecompressingReader plain(*raw, what);
  HashingReader tar(plain);
  tar.drain();
  if (tar.digest() != diff) throw Error(what + ": content does not match the config's diff ID (it is " + tar.digest().str() + ")");
}

// Applies the layers the store lacks, two or more at a time, and verifies the
// ones it has.
void extract_missing(Store& store, std::vector<PendingImage>& images, const std::filesystem::path& work,
                     std::map<Digest, StagedLayer>* staged) {
  struct Job {
    Digest chain, diff;
    std::optional<Digest> parent;
    const PendingLayer* layer;
    bool verify_only;
  };
  std::vector<Job> jobs;
  for (PendingImage& img : images) {
    if (img.layers.size() != img.config.diff_ids.size())
      throw Error("archive: image has " + std::to_string(img.layers.size()) + " layers but its config lists " +
                  std::to_string(img.config.diff_ids.size()) + " diff IDs");
    std::vector<Digest> chains = chain_ids(img.config.diff_ids);
    for (size_t i = 0; i < chains.size(); ++i) {
      bool known = staged->count(chains[i]) || store.layers().get(chains[i]);
      if (!known) (*staged)[chains[i]] = StagedLayer{};
      jobs.push_back({chains[i], img.config.diff_ids[i], i ? std::optional(chains[i - 1]) : std::nullopt,
                      &img.layers[i], known});
    }
  }
  std::vector<std::exception_ptr> errors(jobs.size());
  std::vector<StagedLayer> results(jobs.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < jobs.size();) {
      try {
        const Job& job = jobs[i];
        std::string what = "layer " + job.diff.str();
        const Member& m = *job.layer->member;
        if (job.verify_only) {
          verify_known_layer(m, job.diff, job.layer->expected_blob, what);
          continue;
        }
        std::filesystem::path dir = work / job.chain.hex();
        std::filesystem::create_directory(dir);
        AppliedLayer applied;
        if (m.file.empty()) {
          StringReader r(m.bytes);
          applied = apply_layer(r, dir, what);
        } else {
          UniqueFd fd = open_or_throw(m.file, O_RDONLY);
          FdReader r(fd.get(), m.file.string());
          applied = apply_layer(r, dir, what);
        }
        if (applied.diff_id != job.diff)
          throw Error(what + ": content does not match the config's diff ID (it is " + applied.diff_id.str() + ")");
        if (job.layer->expected_blob && applied.blob != *job.layer->expected_blob)
          throw Error(what + ": blob does not match its digest");
        StagedLayer s;
        s.dir = dir;
        s.info.chain_id = job.chain;
        s.info.diff_id = job.diff;
        s.info.parent = job.parent;
        s.info.size = applied.size;
        s.info.blob = applied.blob;
        s.info.blob_size = applied.blob_size;
        s.info.blob_media_type = job.layer->media_type.empty() ? layer_media_type(applied.compression) : job.layer->media_type;
        s.blob_file = m.file;
        s.blob_bytes = m.file.empty() ? &m.bytes : nullptr;
        results[i] = std::move(s);
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
  for (size_t i = 0; i < jobs.size(); ++i)
    if (!jobs[i].verify_only) (*staged)[jobs[i].chain] = std::move(results[i]);
}

std::string familiar(const std::string& full) { return parse_normalized_named_or_throw(full).familiar_str(); }

}  // namespace

LoadReport load_images(Store& store, ByteReader& in) {
  StagingDir staging = store.make_staging_dir("load");
  std::filesystem::create_directory(staging.path() / "members");
  std::filesystem::create_directory(staging.path() / "layers");
  Members members(staging.path() / "members");
  members.read_all(in);

  std::vector<PendingImage> images;
  if (const Member* m = members.find("manifest.json"))
    images = from_docker_manifest(members, *m);
  else if (const Member* idx = members.find("index.json"))
    images = from_oci_layout(members, *idx);
  else
    throw Error("archive: no manifest.json or index.json: not a `docker save` or OCI layout archive");
  if (images.empty()) throw Error("archive: no images in it");

  std::map<Digest, StagedLayer> staged;
  extract_missing(store, images, staging.path() / "layers", &staged);

  Registration reg(store);
  LoadReport report;
  int64_t now = unix_now();
  for (PendingImage& img : images) {
    std::vector<Digest> chains = chain_ids(img.config.diff_ids);
    for (const Digest& c : chains) {
      auto it = staged.find(c);
      if (it != staged.end() && !it->second.dir.empty()) reg.add_layer(it->second);
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
