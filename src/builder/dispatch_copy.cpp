// COPY and ADD: sources from the context (less .dockerignore), another
// stage, an image, heredocs or (ADD) URLs; written into the step's overlay
// through our tar writer and the layer extractor, so a source can never land
// outside the image's root. ADD also unpacks local tar archives.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive/directory_tar.h"
#include "archive/layer_extractor.h"
#include "archive/tar_blocks.h"
#include "archive/tar_pipe.h"
#include "builder/buildkit_history.h"
#include "builder/dispatchers.h"
#include "builder/git_source.h"
#include "builder/url_download.h"
#include "core/ascii_case.h"
#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/fs.h"
#include "core/number.h"
#include "runtime/container_user.h"

namespace berth {
namespace {

// One COPY/ADD source.
struct CopySource {
  std::string rel;                   // below the source root; for a heredoc or a download, the file's name
  const Heredoc* heredoc = nullptr;
  std::filesystem::path downloaded;  // ADD URL: the file fetched
  std::optional<KeptPaths> kept;     // COPY --parents: `rel` is a directory, these paths of it are copied
};

// What one COPY/ADD reads, and where it writes.
struct CopyJob {
  std::string name;  // "COPY" or "ADD", for messages
  std::string dest;  // as written, expanded
  std::vector<std::string> written_sources;  // likewise (the history line)
  std::string dest_rel;  // below the image's root
  bool dest_is_dir_syntax = false;  // "dir/", "." or "dir/."
  std::optional<WorkingLayer> source_view;  // --from: that stage's or image's files
  std::filesystem::path source_root;
  const DockerIgnore* ignore = nullptr;  // the context's; none with --from
  DockerIgnore excludes;                 // --exclude
  bool parents = false;                  // --parents
  std::vector<CopySource> sources;
  bool wildcard = false;
  bool excluded_a_source = false;  // a source matched, then --exclude took it out
};


// Docker's words for a source that is not there (or only through .dockerignore).
Error source_not_found(const std::string& instruction, const std::string& path) {
  return Error(instruction + " failed: file not found in build context or excluded by .dockerignore: stat " + path +
               ": file does not exist");
}

// --exclude on a source itself, a file or link matched by name (BuildKit
// checks only what is below a source, so `COPY --exclude=a * .` copies a:
// moby/buildkit#5489; its documentation says otherwise, and berth does what
// it says). Directories are copied with what is below them filtered.
bool excluded_by_name(CopyJob& job, const std::string& rel) {
  if (job.excludes.empty() || rel.empty()) return false;
  struct stat sb;
  if (::lstat((job.source_root / rel).c_str(), &sb) == 0 && S_ISDIR(sb.st_mode)) return false;
  std::string name = std::filesystem::path(rel).filename().string();
  bool excluded = job.excludes.excluded(rel) || job.excludes.excluded(name);
  job.excluded_a_source |= excluded;
  return excluded;
}

// COPY --parents: the source's directories are kept below the destination,
// from the root of its source or from a "/./" in it on ("src/./a/b" → a/b).
// BuildKit's include patterns: `**` is any number of directories.
void add_parents_source(CopyJob& job, const std::string& arg, bool pattern) {
  size_t pivot = arg.find("/./");
  std::string base = pivot == std::string::npos ? "" : arg.substr(0, pivot);
  std::string below;
  clean_member_name(pivot == std::string::npos ? arg : arg.substr(pivot + 3), &below, ClimbingNames::kClampToRoot);
  std::vector<std::string> dirs = base.empty() ? std::vector<std::string>{""} : expand_sources(job.source_root, base, job.ignore);
  bool found_any = false;
  for (const std::string& dir : dirs) {
    std::string prefix = dir.empty() ? "" : dir + "/";
    std::vector<std::string> found = expand_sources(job.source_root, prefix + below, job.ignore, DoubleStar::kAnyDepth);
    found_any |= !found.empty();
    for (std::string& f : found) f = f.substr(std::min(prefix.size(), f.size()));
    // Kept even when nothing matched: the destination is made, as BuildKit makes it.
    job.sources.push_back({dir, nullptr, {}, KeptPaths(std::move(found))});
  }
  if (!found_any && !pattern) throw source_not_found(job.name, arg);
}

void add_sources(CopyJob& job, const Instruction& in, const std::string& arg, const StagingDir& downloads) {
  bool add = in.keyword == "add";
  if (add && is_http_url(arg)) {
    std::filesystem::path file = download_url(arg, downloads.path());
    job.sources.push_back({file.filename().string(), nullptr, file, std::nullopt});
    return;
  }
  for (const Heredoc& h : in.heredocs)
    if (arg == "<<" + h.name || arg == "<<-" + h.name) {
      job.sources.push_back({h.name, &h, {}, std::nullopt});
      return;
    }
  bool pattern = arg.find_first_of("*?[") != std::string::npos;
  job.wildcard |= pattern;
  if (job.parents) return add_parents_source(job, arg, pattern);
  std::vector<std::string> found = expand_sources(job.source_root, arg, job.ignore);
  if (found.empty() && !pattern)
    throw source_not_found(job.name, arg);
  for (const std::string& f : found) {
    if (excluded_by_name(job, f)) continue;
    job.sources.push_back({f, nullptr, {}, std::nullopt});
  }
}

// Writes one source as a tar stream: the same writer makes the cache key
// (with content digests) and the copy itself.
class SourceWriter {
 public:
  SourceWriter(const CopyJob& job, Store& store)
      : job_(job), store_(store), root_fd_(open_or_throw(job.source_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    set_destination(job.dest_rel);
  }
  // Where in the image the sources go (once the image's symlinks are resolved).
  void set_destination(const std::string& dest_rel) {
    dest_rel_ = dest_rel;
    prefix_ = dest_rel.empty() ? "" : dest_rel + "/";
  }

  // Whether a source from the context or a stage is a directory, its symlinks followed inside the root.
  bool is_directory(const CopySource& s) const {
    struct stat sb;
    std::string resolved = s.rel.empty() ? "" : resolve_beneath(root_fd_.get(), s.rel);
    UniqueFd fd = open_beneath(root_fd_.get(), resolved, O_PATH);
    return fd.get() >= 0 && ::fstat(fd.get(), &sb) == 0 && S_ISDIR(sb.st_mode);
  }

  void write(const CopySource& s, int out, const TarOptions& opts, bool into_dir) const {
    if (!s.downloaded.empty()) return write_download(s, out, opts, into_dir);
    if (s.heredoc) return write_heredoc(s, out, opts, into_dir);
    // What a source names is copied with its symlinks followed inside its root,
    // the last one too (a link named as a source, or matched by a glob, copies
    // its target under the link's name), as both of Docker's builders do.
    std::string resolved = s.rel.empty() ? "" : resolve_beneath(root_fd_.get(), s.rel);
    std::filesystem::path rel(resolved);
    std::string base = rel.filename().string();
    std::string name = std::filesystem::path(s.rel).filename().string();
    UniqueFd parent_fd = open_beneath(root_fd_.get(), rel.parent_path().string(), O_RDONLY | O_DIRECTORY);
    if (parent_fd.get() < 0) throw source_not_found(job_.name, s.rel);
    struct stat sb;
    if (resolved.empty() ? ::fstat(root_fd_.get(), &sb) != 0 : ::fstatat(parent_fd.get(), base.c_str(), &sb, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("stat " + s.rel);
    TarOptions o = opts;
    if (S_ISDIR(sb.st_mode)) {
      // A directory's contents go into the destination (itself is not copied).
      UniqueFd dir = resolved.empty() ? UniqueFd(::fcntl(root_fd_.get(), F_DUPFD_CLOEXEC, 0))
                                      : open_beneath(parent_fd.get(), base, O_RDONLY | O_DIRECTORY);
      o.prefix = prefix_;
      o.skip = skip_below(s, resolved);
      write_directory_tar(dir.get(), out, o);
      return;
    }
    o.prefix = "";
    write_entry_tar(parent_fd.get(), base, out, o, into_dir ? prefix_ + name : dest_rel_);
  }

 private:
  // What of a directory source is left out: .dockerignore (by the path in the
  // context), then --exclude and --parents (by the path below the source).
  std::function<bool(const std::string&)> skip_below(const CopySource& s, const std::string& resolved) const {
    const DockerIgnore* ignore = job_.ignore;
    const DockerIgnore* excludes = job_.excludes.empty() ? nullptr : &job_.excludes;
    const KeptPaths* kept = s.kept ? &*s.kept : nullptr;
    if (!ignore && !excludes && !kept) return nullptr;
    std::string below = resolved.empty() ? "" : resolved + "/";
    std::filesystem::path root = job_.source_root, dir = root / resolved;
    return [=](const std::string& p) {
      return (ignore && ignore->leaves_out(root, below + p)) || (excludes && excludes->leaves_out(dir, p)) ||
             (kept && !kept->keeps(p));
    };
  }

  // A download: 0600 as Docker makes it (or --chmod), under the URL's last name.
  void write_download(const CopySource& s, int out, const TarOptions& opts, bool into_dir) const {
    UniqueFd dir = open_or_throw(s.downloaded.parent_path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    TarOptions o = opts;
    o.prefix = "";
    if (!o.mode_bits) o.mode_bits = 0600;
    write_entry_tar(dir.get(), s.downloaded.filename().string(), out, o, into_dir ? prefix_ + s.rel : dest_rel_);
  }
  // A heredoc becomes a file: its content, root-owned, 0644 (or --chmod).
  void write_heredoc(const CopySource& s, int out, const TarOptions& opts, bool into_dir) const {
    std::string tmp_name = ".heredoc-" + random_hex(8);
    StagingDir tmp = store_.make_staging_dir("heredoc");
    write_file_atomic(tmp.path() / tmp_name, s.heredoc->content, 0644, Flush::when_full);
    UniqueFd tmp_fd = open_or_throw(tmp.path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    TarOptions o = opts;
    o.prefix = "";
    write_entry_tar(tmp_fd.get(), tmp_name, out, o, into_dir ? prefix_ + s.heredoc->name : dest_rel_);
  }

  const CopyJob& job_;
  Store& store_;
  UniqueFd root_fd_;
  std::string dest_rel_, prefix_;
};

uint32_t parse_chmod(const std::string& text) {
  std::optional<uint64_t> bits = try_parse_uint(text, 8);
  if (!bits || *bits > 07777) throw Error("invalid chmod parameter: " + text);
  return static_cast<uint32_t>(*bits);
}

// A COPY/ADD from the context: its content digest — each source's names,
// modes and content digests (remembered between builds, or hashed ahead:
// context_hash_ahead.h), times and owners left out: touching a file does
// not change what COPY makes.
std::string content_digest(const CopyJob& job, const TypedInstruction& c, const CopyFlags& flags,
                           const SourceWriter& writer, const TarOptions& options, StageRun& run,
                           ContextHashAhead& ahead) {
  Sha256 key_hash;
  key_hash.update(job.name + " " + job.dest + "\n");
  for (const std::string& f : c.instruction.flags) key_hash.update(f + "\n");
  // Flags as written name their variables; what they expanded to is in the key too.
  if (flags.chown != c.copy().chown || flags.chmod != c.copy().chmod)
    key_hash.update("expanded --chown=" + flags.chown.value_or("") + " --chmod=" + flags.chmod.value_or("") + "\n");
  TarOptions hash_options = options;
  hash_options.clamp_mtime = 0;
  if (options.uid) hash_options.uid = hash_options.gid = 0;  // the flags in the key say whose
  if (!run.digests) run.digests.emplace(run.store.db());
  hash_options.content_digest = [&](int fd, const struct stat& sb) {
    // Hashed ahead: then it was not remembered (the thread skips those), no lookup needed.
    std::optional<std::string> digest = ahead.take(sb);
    if (!digest) {
      if (std::optional<std::string> known = run.digests->remembered(sb)) return *known;
      digest = FileDigestCache::read_digest(fd);
    }
    run.digests->learn(sb, *digest);
    return *digest;
  };
  for (const CopySource& s : job.sources)
    key_hash.update(hash_written([&](int out) { writer.write(s, out, hash_options, true); }).str());
  run.digests->save();
  return key_hash.finish().hex();
}

// Whether a 512-byte block is a tar header: a name, and its checksum matches
// — what Go's tar reader checks first, so old v7 archives without the ustar
// magic count too.
bool starts_a_tar(const char* block) { return block[0] != '\0' && tar_checksum_matches(block); }

// ADD of a local tar archive (plain, gzip or zstd, known by its first bytes):
// unpacked into the destination directory. False when the file is no archive.
bool unpack_if_archive(const std::filesystem::path& root, const std::string& rel, int dest_root,
                       const std::string& dest_rel, const std::string& name) {
  std::filesystem::path file = root / rel;
  struct stat sb;
  if (::lstat(file.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode)) return false;
  UniqueFd fd = open_or_throw(file, O_RDONLY | O_CLOEXEC);
  // A tar, plain or compressed (gzip, bzip2, xz, zstd), known by its first
  // header; anything else — a compressed file that holds no tar too — is
  // copied as it is, as Docker does.
  char head[512] = {};
  size_t got = 0;
  try {
    FdReader raw(fd.get(), file.string());
    DecompressingReader plain(raw, name + " " + rel);
    for (size_t r = 1; got < sizeof head && r > 0; got += r) r = plain.read(head + got, sizeof head - got);
  } catch (const Error&) {
    got = 0;
  }
  if (got < sizeof head || !starts_a_tar(head)) return false;
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) throw_errno("seek " + file.string());
  make_directories_beneath(dest_root, dest_rel);
  UniqueFd dir = open_beneath(dest_root, dest_rel, O_RDONLY | O_DIRECTORY);
  if (dir.get() < 0) throw Error(name + " failed: cannot open the destination " + dest_rel);
  FdReader raw(fd.get(), file.string());
  DecompressingReader plain(raw, name + " " + rel);
  // Members named above the root land inside the destination ("../x" is x), as Docker's ADD puts them.
  extract_layer(plain, dir.get(), name + " " + rel, ClimbingNames::kClampToRoot);
  return true;
}

ShellLexer stage_lexer(const BuildSession& session) { return session.plan().word_lexer(); }

// --chown and --chmod with the stage's ARGs and ENV expanded, as BuildKit does
// (Docker 20.10's BuildKit expands --chown only; later ones both).
CopyFlags expanded_flags(BuildSession& session, StageState& st, const CopyFlags& written) {
  ShellLexer lexer = stage_lexer(session);
  EnvLookup env = session.lookup(st);
  CopyFlags flags = written;
  for (std::optional<std::string>* flag : {&flags.chown, &flags.chmod})
    if (*flag) **flag = lexer.process_word(**flag, env);
  return flags;
}

// The instruction's words with the stage's ARGs and ENV expanded.
std::vector<std::string> expanded_words(const BuildSession& session, const StageState& st, const Instruction& in) {
  ShellLexer lexer = stage_lexer(session);
  EnvLookup env = session.lookup(st);
  std::vector<std::string> words;
  for (const std::string& a : in.args) words.push_back(lexer.process_word(a, env));
  return words;
}

// COPY --from's key: what it copies from — the stage's key, or the image's ID
// — and the instruction as expanded. Nothing of the source is read for it, so
// a stage whose steps came from a shared cache is not fetched for a hit.
std::string copy_from_key(BuildSession& session, const StageState& st, const TypedInstruction& c,
                          const CopyFlags& flags, size_t stage) {
  std::string text = "copy-from " + session.source_key(*c.copy().from, stage) + "\n";
  for (const std::string& f : c.instruction.flags) text += f + "\n";
  text += "expanded --chown=" + flags.chown.value_or("") + " --chmod=" + flags.chmod.value_or("") + "\n";
  for (const std::string& w : expanded_words(session, st, c.instruction)) text += w + "\n";
  return session.cache_key(st, text);
}

// The job as the instruction describes it: sources found, destination parsed.
void prepare(CopyJob& job, BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage,
             const StagingDir& downloads) {
  const Instruction& in = c.instruction;
  std::vector<std::string> args = expanded_words(session, st, in);
  if (args.size() < 2)
    throw Error(job.name + " requires at least two arguments, but only one was provided. Destination could not be determined.");
  job.dest = args.back();
  args.pop_back();
  std::string workdir = st.config().value("WorkingDir", "");
  job.dest_is_dir_syntax = job.dest.ends_with("/") || job.dest == "." || job.dest.ends_with("/.");
  std::string dest_path = job.dest.starts_with("/") ? job.dest : (workdir.empty() ? "/" : workdir) + "/" + job.dest;
  if (!clean_member_name(dest_path, &job.dest_rel)) job.dest_rel.clear();
  job.source_root = session.context().root();
  job.ignore = &session.context().ignore();
  if (const std::optional<std::string>& from = c.copy().from) {
    job.source_view.emplace(st.run->store, session.source_of(st, *from, stage).first);
    job.source_root = job.source_view->merged();
    job.ignore = nullptr;
  }
  job.written_sources = args;
  job.parents = c.copy().parents;
  job.excludes = DockerIgnore::from_patterns(c.copy().excludes, "--exclude pattern");
  if (c.keyword() == "add" && args.size() == 1 && is_git_source(args[0])) {
    // A repository: its tree (or a directory of it) is the source, copied as a directory's contents.
    job.source_root = fetch_git_source(parse_git_source(args[0]), downloads.path() / "git", c.copy().keep_git_dir);
    job.ignore = nullptr;
    job.sources.push_back({"", nullptr, {}, std::nullopt});
    return;
  }
  for (const std::string& a : args) {
    if (c.keyword() == "add" && is_git_source(a)) throw Error("ADD of a git repository takes no other sources: " + a);
    add_sources(job, in, a, downloads);
  }
  // A wildcard that matches nothing copies nothing (BuildKit's; the classic builder refuses it).
  if (job.sources.empty() && !job.wildcard && !job.excluded_a_source)
    throw Error(job.name + " failed: no source files were specified");
  if ((job.sources.size() > 1 || job.wildcard) && !job.dest_is_dir_syntax && !job.parents)
    throw Error("When using " + job.name + " with more than one source file, the destination must be a directory and end with a /");
}

}  // namespace

void dispatch_copy(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage) {
  CopyFlags flags = expanded_flags(session, st, c.copy());
  CopyJob job;
  job.name = ascii_upper(c.keyword());
  std::string key;
  if (c.copy().from) {
    key = copy_from_key(session, st, c, flags, stage);
    if (session.use_cache(st, key)) return;
  }
  StagingDir downloads = st.run->store.make_staging_dir("add-url");
  prepare(job, session, st, c, stage, downloads);
  TarOptions options;
  options.clamp_mtime = session.options().source_date_epoch;
  if (flags.chmod) options.mode_bits = parse_chmod(*flags.chmod);

  SourceWriter writer(job, st.run->store);
  bool sole_dir = job.sources.size() == 1 && !job.sources[0].heredoc && job.sources[0].downloaded.empty() &&
                  writer.is_directory(job.sources[0]);
  std::string created_by = copy_history_line(job.name, job.written_sources, job.dest);
  // From the context: keyed by the sources' names, modes and content digests.
  // (The history line names no content: a --cache-from image's step is never matched by it.)
  if (!c.copy().from) {
    key = session.cache_key(st, "copy " + content_digest(job, c, flags, writer, options, *st.run, session.hash_ahead()));
    if (session.use_cache(st, key)) return;
  }

  WorkingLayer layer(st.run->store, st.top);
  std::string layer_name = job.name + " step " + std::to_string(st.run->step);
  if (job.sources.empty() && !job.excluded_a_source) return session.commit(st, StepCommit::with_layer(created_by, layer, key, layer_name));
  UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  // Names from the image's /etc/passwd and /etc/group; a user alone means gid = uid (Docker's rule).
  ContainerUser owner = flags.chown ? resolve_container_user(layer.merged(), *flags.chown) : ContainerUser{};
  // Context files become root's; what --from copies keeps its owners (both builders).
  if (flags.chown || !flags.from) {
    options.uid = flags.chown ? owner.uid : 0;
    options.gid = !flags.chown ? 0 : flags.chown->find(':') == std::string::npos ? owner.uid : owner.gid;
  }
  // The destination with the image's symlinks followed inside its root (Debian's /bin -> usr/bin).
  std::string dest_rel = resolve_beneath(root.get(), job.dest_rel);
  writer.set_destination(dest_rel);
  struct stat dest_st;
  UniqueFd dest_fd = open_beneath(root.get(), dest_rel, O_RDONLY);
  bool dest_is_dir = dest_fd.get() >= 0 && ::fstat(dest_fd.get(), &dest_st) == 0 && S_ISDIR(dest_st.st_mode);
  bool into_dir = job.dest_is_dir_syntax || dest_is_dir || job.sources.size() > 1;
  // Missing directories on the way are made with the copy's owner, as Docker does.
  std::string dest_dir = into_dir || sole_dir ? dest_rel : std::filesystem::path(dest_rel).parent_path().string();
  make_directories_beneath(root.get(), dest_dir, options.uid.value_or(0), options.gid.value_or(0));
  for (const CopySource& s : job.sources) {
    if (c.keyword() == "add" && !s.heredoc && s.downloaded.empty() &&
        unpack_if_archive(job.source_root, s.rel, root.get(), dest_rel, job.name))
      continue;
    copy_through_tar([&](int out) { writer.write(s, out, options, into_dir); }, root.get(), job.name + " " + s.rel);
  }
  session.commit(st, StepCommit::with_layer(created_by, layer, key, layer_name));
}

}  // namespace berth
