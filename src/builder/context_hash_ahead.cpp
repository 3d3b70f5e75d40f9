#include "builder/context_hash_ahead.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "builder/git_source.h"
#include "builder/url_download.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "store/file_digest_cache.h"
#include "store/store.h"

namespace berth {
namespace {

// Not a heredoc, a download, a repository or a word still to expand.
bool names_context_files(const std::string& source) {
  return !source.starts_with("<<") && source.find('$') == std::string::npos && !is_http_url(source) &&
         !is_git_source(source);
}

}  // namespace

std::vector<std::string> context_sources_of(const BuildPlan& plan) {
  std::vector<std::string> out;
  for (const PlannedStage& stage : plan.stages) {
    if (!stage.needed) continue;
    for (const TypedInstruction& c : stage.body) {
      if ((c.keyword() != "copy" && c.keyword() != "add") || c.copy().from) continue;
      const std::vector<std::string>& args = c.instruction.args;
      for (size_t i = 0; i + 1 < args.size(); ++i)  // the last is the destination
        if (names_context_files(args[i]) && std::find(out.begin(), out.end(), args[i]) == out.end())
          out.push_back(args[i]);
    }
  }
  return out;
}

ContextHashAhead::ContextHashAhead(std::filesystem::path store_root, const BuildContext& context,
                                   std::vector<std::string> sources, int64_t settled_ns)
    : store_root_(std::move(store_root)),
      context_(context),
      sources_(std::move(sources)),
      settled_ns_(settled_ns),
      thread_([this] { run(); }) {}

ContextHashAhead::~ContextHashAhead() {
  stopping_ = true;
  wait();
}

void ContextHashAhead::wait() {
  if (thread_.joinable()) thread_.join();
}

ContextHashAhead::Key ContextHashAhead::key_of(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

ContextHashAhead::Identity ContextHashAhead::identity_of(const struct stat& st) {
  return {static_cast<int64_t>(st.st_size), unix_nanos(st.st_mtim), unix_nanos(st.st_ctim)};
}

std::optional<std::string> ContextHashAhead::take(const struct stat& st) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = entries_.find(key_of(st));
  while (it != entries_.end() && it->second.state == State::kHashing) {
    hashed_.wait(lock);
    it = entries_.find(key_of(st));
  }
  if (it == entries_.end()) {
    entries_.emplace(key_of(st), Entry{identity_of(st), State::kCallers, ""});
    return std::nullopt;
  }
  if (it->second.state == State::kHashed && it->second.identity == identity_of(st)) return it->second.digest;
  return std::nullopt;
}

void ContextHashAhead::run() {
  try {
    std::vector<std::filesystem::path> files = files_to_hash();
    for (auto it = files.rbegin(); it != files.rend() && !stopping_; ++it) hash(*it);
  } catch (...) {
    // A source that is missing or unreadable: its COPY finds it and says so.
  }
}

// The regular files below the sources, in the order a COPY walks them, less
// those left out and those remembered. Symlinks are not followed: a source
// reached through one is left to its COPY.
std::vector<std::filesystem::path> ContextHashAhead::files_to_hash() {
  std::vector<std::filesystem::path> files;
  if (sources_.empty()) return files;
  Store store(store_root_);  // its own connection: SQLite connections stay on their thread
  FileDigestCache remembered(store.db());
  const std::filesystem::path& root = context_.root();
  const DockerIgnore& ignore = context_.ignore();
  struct stat root_st;
  if (::stat(root.c_str(), &root_st) != 0) return files;
  dev_t root_dev = root_st.st_dev;
  // `rel`: below the context, "" for its root.
  auto add = [&](auto& self, const std::string& rel) -> void {
    if (stopping_) return;
    struct stat st;
    std::filesystem::path path = root / rel;
    if (::lstat(path.c_str(), &st) != 0 || st.st_dev != root_dev) return;  // another file system (a mount): the COPY's
    if (S_ISREG(st.st_mode)) {
      if (!remembered.remembered(st)) files.push_back(std::move(path));
      return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    std::vector<std::string> names;
    if (DIR* d = ::opendir(path.c_str())) {
      while (dirent* e = ::readdir(d))
        if (std::string n = e->d_name; n != "." && n != "..") names.push_back(n);
      ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) {
      std::string below = rel.empty() ? n : rel + "/" + n;
      if (!ignore.leaves_out(root, below)) self(self, below);
    }
  };
  UniqueFd root_fd = open_or_throw(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (const std::string& pattern : sources_) {
    try {
      for (const std::string& rel : expand_sources(root, pattern, &ignore))
        // Reached through a symlink: the COPY resolves it inside the context; left to it.
        if (rel.empty() || resolve_beneath(root_fd.get(), rel) == rel) add(add, rel);
    } catch (const Error&) {
      // A pattern its COPY refuses, or a source it cannot read: the COPY says so.
    }
  }
  return files;
}

void ContextHashAhead::hash(const std::filesystem::path& file) {
  // O_NONBLOCK: a file swapped for a FIFO since it was listed must not hold the thread.
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  struct stat before;
  if (fd.get() < 0 || ::fstat(fd.get(), &before) != 0 || !S_ISREG(before.st_mode)) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!entries_.emplace(key_of(before), Entry{identity_of(before), State::kHashing, ""}).second) return;
  }
  std::optional<std::string> digest;
  try {
    int64_t started = now_unix_nanos();
    FdReader reader(fd.get(), file.string());
    HashingReader hashing(reader);
    std::vector<char> buffer(1 << 20);
    while (hashing.read(buffer.data(), buffer.size()) > 0 && !stopping_) {
    }
    struct stat after;
    // A file changed just before it was read could change again without its
    // times moving (within one clock tick): the COPY reads such a file itself.
    bool settled = unix_nanos(before.st_ctim) < started - settled_ns_;
    if (!stopping_ && settled && ::fstat(fd.get(), &after) == 0 && identity_of(after) == identity_of(before))
      digest = hashing.digest().hex();
  } catch (...) {
    // Unreadable (or out of memory): the COPY reads it, and says what is wrong.
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry& e = entries_.at(key_of(before));
    if (digest) {
      e.state = State::kHashed;
      e.digest = std::move(*digest);
    } else {
      e.state = State::kCallers;  // changed while read, or unreadable: the COPY reads it
    }
  }
  hashed_.notify_all();
}

}  // namespace berth
