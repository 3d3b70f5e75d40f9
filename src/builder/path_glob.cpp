#include "builder/path_glob.h"

#include <algorithm>

#include "core/error.h"

namespace berth {

namespace {

[[noreturn]] void syntax_error() { throw Error("syntax error in pattern"); }

// [abc], [a-z], [^a-z], [\]]: which of the 256 bytes the class takes.
std::vector<bool> class_set(const std::string& body) {
  std::vector<bool> set(256, false);
  size_t i = 0;
  bool negated = !body.empty() && body[0] == '^';
  if (negated) ++i;
  if (i == body.size()) syntax_error();  // [] and [^]
  while (i < body.size()) {
    unsigned char lo = body[i] == '\\' && i + 1 < body.size() ? body[++i] : body[i];
    unsigned char hi = lo;
    if (i + 2 < body.size() && body[i + 1] == '-') {
      i += 2;
      hi = body[i] == '\\' && i + 1 < body.size() ? body[++i] : body[i];
      if (hi < lo) syntax_error();
    }
    for (unsigned c = lo; c <= hi; ++c) set[c] = true;
    ++i;
  }
  if (negated) set.flip();
  return set;
}

}  // namespace

PathGlob::PathGlob(const std::string& pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    Token t{Kind::kChar, c, {}};
    if (c == '*' && i + 1 < pattern.size() && pattern[i + 1] == '*') {
      ++i;
      if (i + 2 < pattern.size() && pattern[i + 1] == '/') {  // "**/" before more pattern
        ++i;
        t.kind = Kind::kDirectories;
      } else {
        if (i + 1 < pattern.size() && pattern[i + 1] == '/') ++i;  // "**/" at the end: anything
        t.kind = Kind::kAnything;
      }
    } else if (c == '*') {
      t.kind = Kind::kStar;
    } else if (c == '?') {
      t.kind = Kind::kAnyButSlash;
    } else if (c == '\\' && i + 1 < pattern.size()) {
      t.c = pattern[++i];
    } else if (c == '[') {
      size_t end = pattern.find(']', i + 1);
      if (end == std::string::npos) syntax_error();
      t.kind = Kind::kClass;
      t.set = class_set(pattern.substr(i + 1, end - i - 1));
      i = end;
    }
    tokens_.push_back(std::move(t));
  }
}

bool PathGlob::matches_or_parent(const std::string& path) const {
  // States: 2 per token — 2k "at token k", 2k+1 "inside token k's **/, the
  // last character not a '/'". 2n is "matched all".
  const size_t n = tokens_.size(), accept = 2 * n;
  std::vector<char> now(2 * n + 1, 0), next(2 * n + 1, 0);
  auto close = [&](std::vector<char>& s) {  // *, ** and **/ may match nothing: past them at once
    for (size_t k = 0; k < n; ++k) {
      Kind kind = tokens_[k].kind;
      if (s[2 * k] && (kind == Kind::kStar || kind == Kind::kAnything || kind == Kind::kDirectories)) s[2 * (k + 1)] = 1;
    }
  };
  now[0] = 1;
  close(now);
  for (size_t at = 0; at < path.size(); ++at) {
    unsigned char c = path[at];
    if (c == '/' && now[accept]) return true;  // a parent directory matched
    std::fill(next.begin(), next.end(), 0);
    for (size_t k = 0; k < n; ++k) {
      const Token& t = tokens_[k];
      bool at_k = now[2 * k], inside_k = now[2 * k + 1];
      if (!at_k && !inside_k) continue;
      switch (t.kind) {
        case Kind::kChar: if (at_k && c == static_cast<unsigned char>(t.c)) next[2 * (k + 1)] = 1; break;
        case Kind::kAnyButSlash: if (at_k && c != '/') next[2 * (k + 1)] = 1; break;
        case Kind::kClass: if (at_k && t.set[c]) next[2 * (k + 1)] = 1; break;
        case Kind::kStar: if (c != '/') next[2 * k] = 1; break;
        case Kind::kAnything: next[2 * k] = 1; break;
        case Kind::kDirectories:
          if (c == '/') next[2 * (k + 1)] = 1;
          next[2 * k + 1] = 1;
          break;
      }
    }
    close(next);
    if (std::find(next.begin(), next.end(), 1) == next.end()) return false;  // no way on
    now.swap(next);
  }
  return now[accept];
}

}  // namespace berth
