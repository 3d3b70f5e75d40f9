#include "core/reference.h"

#include <algorithm>
#include <cctype>

#include "core/digest.h"
#include "core/error.h"

namespace berth {
namespace {

constexpr size_t kNameTotalLengthMax = 255;
constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | -+
bool is_path_component(std::string_view s) {
  size_t i = 0;
  auto alnum_run = [&] {
    size_t start = i;
    while (i < s.size() && is_lower_alnum(s[i])) ++i;
    return i > start;
  };
  if (!alnum_run()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!alnum_run()) return false;
  }
  return true;
}

bool is_path(std::string_view s) {
  while (true) {
    size_t slash = s.find('/');
    if (!is_path_component(s.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    s.remove_prefix(slash + 1);
  }
}

// domain-name-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool is_domain_label(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

// domain := (domain-name | "[" ipv6 "]") [":" port]
bool is_domain(std::string_view s) {
  std::string_view host = s;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : s.substr(1, close - 1))
      if (!is_hex(c) && c != ':') return false;
    host = {};
    s.remove_prefix(close + 1);
  } else {
    size_t colon = s.find(':');
    host = s.substr(0, colon);
    s = colon == std::string_view::npos ? std::string_view{} : s.substr(colon);
    while (true) {
      size_t dot = host.find('.');
      if (!is_domain_label(host.substr(0, dot))) return false;
      if (dot == std::string_view::npos) break;
      host.remove_prefix(dot + 1);
    }
  }
  if (s.empty()) return true;
  if (s.front() != ':' || s.size() < 2) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// tag := [\w][\w.-]{0,127}
bool is_tag(std::string_view s) {
  if (s.empty() || s.size() > 128 || !is_word(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_word(c) || c == '.' || c == '-'; });
}

// digest := algorithm ":" hex{32,}, algorithm := component ([-_+.] component)*
bool matches_digest_grammar(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view alg = s.substr(0, colon), hex = s.substr(colon + 1);
  if (hex.size() < 32 || !std::all_of(hex.begin(), hex.end(), is_hex)) return false;
  size_t i = 0;
  while (true) {
    if (i >= alg.size() || !std::isalpha(static_cast<unsigned char>(alg[i]))) return false;
    while (i < alg.size() && is_alnum(alg[i])) ++i;
    if (i == alg.size()) return true;
    if (std::string_view("-_+.").find(alg[i]) == std::string_view::npos) return false;
    ++i;
  }
}

// go-digest's Parse/Validate with only sha256 registered.
ReferenceError validate_digest(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size())
    return ReferenceError::kDigestInvalidFormat;
  std::string_view alg = s.substr(0, colon), hex = s.substr(colon + 1);
  if (alg != "sha256")
    return matches_digest_grammar(s) ? ReferenceError::kDigestUnsupported
                                     : ReferenceError::kDigestInvalidFormat;
  if (hex.size() != 64) return ReferenceError::kDigestInvalidLength;
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return ReferenceError::kDigestInvalidFormat;
  return ReferenceError::kNone;
}

struct Split {
  std::string_view domain, path, tag, digest;
};

// Matches the anchored ReferenceRegexp. Leftmost-first, as Go's regexp: a first
// component that is a valid domain is taken as the domain.
bool match_reference(std::string_view s, Split* out) {
  Split r;
  size_t at = s.find('@');
  std::string_view name_tag = s.substr(0, at);
  if (at != std::string_view::npos) {
    r.digest = s.substr(at + 1);
    if (!matches_digest_grammar(r.digest)) return false;
  }
  size_t last_slash = name_tag.rfind('/');
  size_t colon = name_tag.find(':', last_slash == std::string_view::npos ? 0 : last_slash);
  std::string_view name = name_tag.substr(0, colon);
  if (colon != std::string_view::npos) {
    r.tag = name_tag.substr(colon + 1);
    if (!is_tag(r.tag)) return false;
  }
  size_t first_slash = name.find('/');
  if (first_slash != std::string_view::npos && is_domain(name.substr(0, first_slash)) &&
      is_path(name.substr(first_slash + 1))) {
    r.domain = name.substr(0, first_slash);
    r.path = name.substr(first_slash + 1);
  } else if (is_path(name)) {
    r.path = name;
  } else {
    return false;
  }
  *out = r;
  return true;
}

const char* error_text(ReferenceError e) {
  switch (e) {
    case ReferenceError::kNone: return "";
    case ReferenceError::kInvalidFormat: return "invalid reference format";
    case ReferenceError::kNameEmpty: return "repository name must have at least one component";
    case ReferenceError::kNameTooLong: return "repository name must not be more than 255 characters";
    case ReferenceError::kNameContainsUppercase: return "invalid reference format: repository name must be lowercase";
    case ReferenceError::kDigestInvalidFormat: return "invalid checksum digest format";
    case ReferenceError::kDigestInvalidLength: return "invalid checksum digest length";
    case ReferenceError::kDigestUnsupported: return "unsupported digest algorithm";
    case ReferenceError::kOther: return "invalid reference format";
  }
  return "invalid reference format";
}

ReferenceResult fail(ReferenceError e, std::string message = {}) {
  ReferenceResult r;
  r.error = e;
  r.message = message.empty() ? error_text(e) : std::move(message);
  return r;
}

ReferenceResult ok(Reference ref) {
  ReferenceResult r;
  r.ref = std::move(ref);
  return r;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// splitDockerDomain from distribution/reference normalize.go.
std::pair<std::string, std::string> split_docker_domain(std::string_view name) {
  std::string domain, remote;
  size_t slash = name.find('/');
  if (slash == std::string_view::npos) {
    return {std::string(kDefaultDomain), std::string(kOfficialRepoPrefix) + std::string(name)};
  }
  std::string_view maybe_domain = name.substr(0, slash);
  std::string_view maybe_remote = name.substr(slash + 1);
  if (maybe_domain == "localhost" || maybe_domain.find_first_of(".:") != std::string_view::npos ||
      lower(maybe_domain) != maybe_domain) {
    domain = maybe_domain;
    remote = maybe_remote;
  } else if (maybe_domain == kLegacyDefaultDomain) {
    domain = kDefaultDomain;
    remote = maybe_remote;
  } else {
    domain = kDefaultDomain;
    remote = name;
  }
  if (domain == kLegacyDefaultDomain) domain = kDefaultDomain;
  if (domain == kDefaultDomain && remote.find('/') == std::string::npos)
    remote = std::string(kOfficialRepoPrefix) + remote;
  return {domain, remote};
}

}  // namespace

std::string Reference::str() const {
  std::string s = name();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += (s.empty() ? "" : "@") + digest;
  return s;
}

std::string Reference::familiar_name() const {
  if (domain != kDefaultDomain) return name();
  std::string_view p = path;
  if (p.substr(0, kOfficialRepoPrefix.size()) == kOfficialRepoPrefix &&
      p.substr(kOfficialRepoPrefix.size()).find('/') == std::string_view::npos)
    p.remove_prefix(kOfficialRepoPrefix.size());
  return std::string(p);
}

std::string Reference::familiar_str() const {
  std::string s = familiar_name();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

ReferenceResult parse_reference(std::string_view text) {
  Split m;
  if (!match_reference(text, &m)) {
    if (text.empty()) return fail(ReferenceError::kNameEmpty);
    Split ignored;
    if (match_reference(lower(text), &ignored)) return fail(ReferenceError::kNameContainsUppercase);
    return fail(ReferenceError::kInvalidFormat);
  }
  if (m.path.size() > kNameTotalLengthMax) return fail(ReferenceError::kNameTooLong);
  if (!m.digest.empty()) {
    ReferenceError e = validate_digest(m.digest);
    if (e != ReferenceError::kNone) return fail(e);
  }
  return ok(Reference{std::string(m.domain), std::string(m.path), std::string(m.tag),
                      std::string(m.digest)});
}

ReferenceResult parse_normalized_named(std::string_view text) {
  if (Digest::is_hex64(text))
    return fail(ReferenceError::kOther, "invalid repository name (" + std::string(text) +
                                            "), cannot specify 64-byte hexadecimal strings");
  auto [domain, remainder] = split_docker_domain(text);
  std::string remote = remainder.substr(0, remainder.find(':'));
  if (lower(remote) != remote)
    return fail(ReferenceError::kOther,
                "invalid reference format: repository name (" + remote + ") must be lowercase");
  ReferenceResult r = parse_reference(domain + "/" + remainder);
  if (r.ref && r.ref->path.empty()) return fail(ReferenceError::kOther, "reference has no name");
  return r;
}

ReferenceResult parse_docker_ref(std::string_view text) {
  ReferenceResult r = parse_normalized_named(text);
  if (!r.ref) return r;
  if (!r.ref->digest.empty())
    r.ref->tag.clear();
  else if (r.ref->tag.empty())
    r.ref->tag = "latest";
  return r;
}

ReferenceResult parse_any_reference(std::string_view text) {
  if (Digest::is_hex64(text)) return ok(Reference{"", "", "", "sha256:" + std::string(text)});
  if (validate_digest(text) == ReferenceError::kNone) return ok(Reference{"", "", "", std::string(text)});
  return parse_normalized_named(text);
}

Reference parse_docker_ref_or_throw(std::string_view text) {
  ReferenceResult r = parse_docker_ref(text);
  if (!r.ref) throw Error(r.message + ": \"" + std::string(text) + "\"");
  return *r.ref;
}

Reference parse_normalized_named_or_throw(std::string_view text) {
  ReferenceResult r = parse_normalized_named(text);
  if (!r.ref) throw Error(r.message + ": \"" + std::string(text) + "\"");
  return *r.ref;
}

}  // namespace berth
