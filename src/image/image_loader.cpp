#include "image/image_loader.h"

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

#include "image/archive_members.h"
#include "image/layer.h"
#include "image/layer_apply.h"
#include "archive/layer_extractor.h"
#include "archive/tar_reader.h"
#include "core/chunk_queue.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/json_members.h"
#include "core/manifest.h"
#include "core/platform.h"
#include "core/reference.h"
#include "store/registration.h"

namespace berth {
namespace {

struct PendingLayer {
  ArchiveMember* member;
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

std::vector<PendingImage> from_docker_manifest(ArchiveMembers& members, const ArchiveMember& manifest_json) {
  Json doc = Json::parse(members.text(manifest_json, "archive: manifest.json"), nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) throw Error("archive: manifest.json is not a JSON array");
  std::vector<PendingImage> images;
  for (const Json& entry : doc) {
    if (!entry.is_object() || !entry.contains("Config") || !entry["Config"].is_string())
      throw Error("archive: manifest.json entry has no Config");
    std::string config_name = entry["Config"];
    const ArchiveMember& config = members.get(config_name, "config");
    std::string what = "archive: config " + config_name;
    PendingImage img{ImageConfig::parse(members.text(config, what), what), {}, {}, {}, {}};
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

std::vector<PendingImage> from_oci_layout(ArchiveMembers& members, const ArchiveMember& index_json) {
  Index top = parse_index(members.text(index_json, "archive: index.json"), "archive: index.json");
  std::vector<PendingImage> images;
  for (const Descriptor& desc : top.manifests) {
    Descriptor d = desc;
    const ArchiveMember* m = members.blob(d.digest);
    if (!m) throw Error("archive: manifest " + d.digest.str() + " is missing");
    check_descriptor_size(d, m->size, "archive: index.json");
    std::string bytes = members.text(*m, "archive: manifest " + d.digest.str());
    if (is_index_media_type(d.media_type) || (d.media_type.empty() && bytes.find("\"manifests\"") != std::string::npos)) {
      d = pick_platform(parse_index(bytes, "archive: index " + d.digest.str()), "archive");
      m = members.blob(d.digest);
      if (!m) throw Error("archive: manifest " + d.digest.str() + " is missing");
      check_descriptor_size(d, m->size, "archive: index");
      bytes = members.text(*m, "archive: manifest " + d.digest.str());
    }
    std::string what = "archive: manifest " + d.digest.str();
    Manifest man = parse_manifest(bytes, what);
    check_image_manifest(man, what);
    const ArchiveMember* config = members.blob(man.config.digest);
    if (!config) throw Error("archive: config " + man.config.digest.str() + " is missing");
    check_descriptor_size(man.config, config->size, what + " config");
    std::string config_what = "archive: config " + man.config.digest.str();
    PendingImage img{ImageConfig::parse(members.text(*config, config_what), config_what), {}, {}, d.digest, bytes};
    for (const Descriptor& l : man.layers) {
      ArchiveMember* lm = members.blob(l.digest);
      if (!lm) throw Error("archive: layer " + l.digest.str() + " is missing");
      check_descriptor_size(l, lm->size, what + " layer");
      img.layers.push_back({lm, l.media_type, l.digest});
    }
    std::string name = string_member(desc.annotations, "io.containerd.image.name");
    std::string ref_name = string_member(desc.annotations, "org.opencontainers.image.ref.name");
    if (name.empty() && ref_name.find_first_of(":/") != std::string::npos) name = ref_name;
    if (!name.empty()) img.tags = parse_repo_tags(Json::array({name}));
    images.push_back(std::move(img));
  }
  return images;
}

// Checks that a layer the store already holds (so it is not extracted again)
// came with the bytes its config names: never trust a name without its bytes.
void verify_known_layer(const ArchiveMember& m, const Digest& diff, const std::optional<Digest>& expected_blob,
                        const std::string& what) {
  if (expected_blob && m.digest != *expected_blob) throw Error(what + ": blob does not match its digest");
  Digest actual = m.digest;  // an uncompressed tar: hashed while it streamed by
  if (m.streamed) {
    actual = m.streamed->applied.diff_id;
  } else if (m.digest != diff && (m.file || !m.bytes.empty())) {
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
// ArchiveMembers whose bytes turn out to be needed are marked for spool_again().
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
      ArchiveMember& m = *img.layers[i].member;
      if (!planned.count(chains[i]) && !store.layers().get(chains[i])) {
        planned.insert(chains[i]);
        if (m.streamed && !m.streamed->used) {
          m.streamed->used = true;
          job.action = LayerJob::kUseStreamed;
        } else {
          job.action = LayerJob::kExtract;
          if (!m.file && m.bytes.empty()) m.needs_spool = true;
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
  const ArchiveMember& m = *job.layer->member;
  std::optional<std::string> media_type;
  if (!job.layer->media_type.empty()) media_type = job.layer->media_type;
  StagedLayer s = stage_applied_layer(dir, job.chain, job.parent, applied, m.file, media_type);
  s.blob_bytes = m.file ? nullptr : &m.bytes;
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
        const ArchiveMember& m = *job.layer->member;
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

namespace {

// A stream cannot be read twice; the rare second pass (spool_again) needs to.
UniqueFd copy_aside(ByteReader& in, const std::filesystem::path& copy) {
  UniqueFd out = open_or_throw(copy, O_WRONLY | O_CREAT | O_EXCL, 0600);
  std::vector<char> buf(1 << 20);
  for (size_t k; (k = in.read(buf.data(), buf.size())) > 0;) write_all(out.get(), buf.data(), k, copy);
  return open_or_throw(copy, O_RDONLY);
}

LoadReport load_archive(Store& store, const StagingDir& staging, UniqueFd input);

}  // namespace

LoadReport load_images(Store& store, int fd) {
  StagingDir staging = store.make_staging_dir("load");
  struct stat st;
  if (::fstat(fd, &st) != 0) throw_errno("stat archive");
  if (S_ISREG(st.st_mode)) return load_archive(store, staging, UniqueFd(::fcntl(fd, F_DUPFD_CLOEXEC, 0)));
  FdReader in(fd, "stdin");
  return load_archive(store, staging, copy_aside(in, staging.path() / "input"));
}

LoadReport load_images(Store& store, ByteReader& archive) {
  StagingDir staging = store.make_staging_dir("load");
  return load_archive(store, staging, copy_aside(archive, staging.path() / "input"));
}

namespace {

LoadReport load_archive(Store& store, const StagingDir& staging, UniqueFd input) {
  ArchiveMembers members(store, staging.path());
  members.read_all(input.get());
  std::vector<PendingImage> images;
  if (const ArchiveMember* m = members.find("manifest.json"))
    images = from_docker_manifest(members, *m);
  else if (const ArchiveMember* idx = members.find("index.json"))
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

}  // namespace
}  // namespace berth
