#include "builder/git_source.h"

#include <fcntl.h>
#include <unistd.h>

#include "builder/url_download.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"

namespace berth {
namespace {

// git with only the network transports it may use for a Dockerfile's URL,
// never a prompt (a build has no one to answer it), and none of the caller's
// GIT_* variables or system and global configuration: a Dockerfile's fetch
// must not be redirected (GIT_DIR, url.*.insteadOf) or run hooks and helpers
// the user set up for their own repositories.
std::vector<std::string> git(const std::filesystem::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {"env"};
  for (char** e = environ; *e; ++e) {
    std::string_view var(*e);
    if (var.starts_with("GIT_")) argv.insert(argv.end(), {"-u", std::string(var.substr(0, var.find('=')))});
  }
  argv.insert(argv.end(), {"GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
                           "git", "-C", dir.string(),
                           "-c", "core.sshCommand=ssh -o BatchMode=yes", "-c", "protocol.allow=never",
                           "-c", "protocol.git.allow=always", "-c", "protocol.http.allow=always",
                           "-c", "protocol.https.allow=always", "-c", "protocol.ssh.allow=always",
                           "-c", "advice.detachedHead=false"});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void run_git(const std::filesystem::path& dir, const std::vector<std::string>& args, const std::string& what) {
  ProcessResult r = run_process(git(dir, args), "", true);
  if (r.exit_code != 0) {  // git's words, on one line
    std::string said;
    for (char c : r.output) said += c == '\n' || c == '\r' ? ' ' : c;
    while (!said.empty() && said.back() == ' ') said.pop_back();
    throw Error(what + ": " + (said.empty() ? "git failed" : said));
  }
}

bool is_commit_id(const std::string& ref) {
  return ref.size() == 40 && ref.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

bool is_git_source(const std::string& arg) {
  std::string url = arg.substr(0, arg.find('#'));
  return url.starts_with("git://") || url.starts_with("git@") ||
         (is_http_url(url) && url.ends_with(".git")) || (url.starts_with("ssh://") && url.ends_with(".git"));
}

GitSource parse_git_source(const std::string& arg) {
  GitSource s;
  size_t hash = arg.find('#');
  s.url = arg.substr(0, hash);
  if (hash != std::string::npos) {
    std::string fragment = arg.substr(hash + 1);
    size_t colon = fragment.find(':');
    s.ref = fragment.substr(0, colon);
    if (colon != std::string::npos) s.subdir = fragment.substr(colon + 1);
  }
  if (s.url.empty()) throw Error("ADD " + arg + ": no repository");
  if (s.ref.starts_with("-")) throw Error("ADD " + arg + ": invalid ref " + s.ref);
  return s;
}

std::filesystem::path fetch_git_source(const GitSource& source, const std::filesystem::path& dir, bool keep_git_dir) {
  if (find_in_path("git").empty()) throw Error("ADD " + source.url + ": git is not installed");
  std::filesystem::create_directories(dir);
  std::string what = "ADD " + source.url + (source.ref.empty() ? "" : "#" + source.ref);
  run_git(dir, {"init", "-q"}, what);
  std::string ref = source.ref.empty() ? "HEAD" : source.ref;
  try {
    run_git(dir, {"fetch", "-q", "--depth=1", "--no-tags", "--", source.url, ref}, what);
  } catch (const Error&) {
    if (!is_commit_id(ref)) throw;
    // A server that will not give a commit by ID: every branch and tag, to find it in.
    run_git(dir, {"fetch", "-q", "--", source.url, "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"},
            what);
  }
  run_git(dir, {"checkout", "-q", is_commit_id(ref) ? ref : "FETCH_HEAD"}, what);
  if (!keep_git_dir) std::filesystem::remove_all(dir / ".git");
  if (source.subdir.empty()) return dir;
  UniqueFd root = open_or_throw(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string rel = resolve_beneath(root.get(), source.subdir);  // never outside the checkout
  UniqueFd sub = open_beneath(root.get(), rel, O_RDONLY | O_DIRECTORY);
  if (sub.get() < 0) throw Error(what + ": no directory " + source.subdir + " in the repository");
  return dir / rel;
}

}  // namespace berth
