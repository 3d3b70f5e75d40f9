// ADD of a git repository, in BuildKit's syntax: URL[#REF][:SUBDIR], where URL
// is git://…, ssh's git@host:path, or http(s)://… ending in .git; REF a
// branch, a tag or a commit (default: the remote's HEAD). The ref is fetched
// shallowly with git(1) — only its git, http(s) and ssh transports allowed,
// never ext:: or file:// — and checked out; the tree (or SUBDIR of it) is what
// ADD copies, its .git directory only with --keep-git-dir.
#pragma once

#include <filesystem>
#include <string>

namespace berth {

struct GitSource {
  std::string url;
  std::string ref;     // "" = HEAD
  std::string subdir;  // "" = the whole tree
};

bool is_git_source(const std::string& arg);
GitSource parse_git_source(const std::string& arg);

// Fetches and checks out `source.ref` into `dir` (created here); returns the
// directory ADD copies (SUBDIR inside it, never outside). Throws Error with
// git's own words when the fetch fails.
std::filesystem::path fetch_git_source(const GitSource& source, const std::filesystem::path& dir, bool keep_git_dir);

}  // namespace berth
