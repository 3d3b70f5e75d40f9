#include "registry/auth_challenge.h"

#include <cctype>

#include "core/ascii_case.h"
#include "core/json_members.h"

namespace berth {
namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void skip_space(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

std::string_view take_token(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && is_token_char(s[n])) ++n;
  std::string_view t = s.substr(0, n);
  s.remove_prefix(n);
  return t;
}

// A quoted-string with backslash escapes, the opening quote already seen.
std::optional<std::string> take_quoted(std::string_view& s) {
  std::string out;
  while (!s.empty()) {
    char c = s.front();
    s.remove_prefix(1);
    if (c == '"') return out;
    if (c == '\\' && !s.empty()) {
      c = s.front();
      s.remove_prefix(1);
    }
    out += c;
  }
  return std::nullopt;  // unterminated
}

}  // namespace

std::optional<AuthChallenge> parse_auth_challenge(std::string_view s) {
  skip_space(s);
  std::string_view scheme = take_token(s);
  if (scheme.empty()) return std::nullopt;
  AuthChallenge ch{ascii_lower(scheme), {}};
  for (;;) {
    skip_space(s);
    while (!s.empty() && s.front() == ',') {
      s.remove_prefix(1);
      skip_space(s);
    }
    std::string_view name = take_token(s);
    if (name.empty()) break;
    skip_space(s);
    if (s.empty() || s.front() != '=') break;  // the next challenge's scheme: only the first is read
    s.remove_prefix(1);
    skip_space(s);
    std::string value;
    if (!s.empty() && s.front() == '"') {
      s.remove_prefix(1);
      std::optional<std::string> q = take_quoted(s);
      if (!q) break;
      value = *q;
    } else {
      value = std::string(take_token(s));
    }
    ch.params[ascii_lower(name)] = value;
  }
  return ch;
}

std::string token_of_response(std::string_view body) {
  Json j = Json::parse(body, nullptr, false);
  for (const char* key : {"token", "access_token"})
    if (std::string token = string_member(j, key); !token.empty()) return token;
  return "";
}

}  // namespace berth
