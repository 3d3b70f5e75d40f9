// BuildKit's Node.Dump() format of parsed instructions, with Go's
// strconv.Quote for the words: what the conformance corpus
// (tests/conformance/buildkit-dockerfile-parser) holds, so the parser is
// compared with BuildKit's byte for byte.
#include <cstdio>
#include <string>
#include <string_view>

#include "dockerfile/dockerfile_parser.h"

namespace berth {

std::string Instruction::dump() const {
  std::string s = keyword;
  if (!flags.empty()) {
    s += " [";
    for (size_t i = 0; i < flags.size(); ++i) s += (i ? " " : "") + go_quote(flags[i]);
    s += "]";
  }
  if (sub) s += " (" + sub->dump() + ")";
  for (const std::string& a : args) s += " " + go_quote(a);
  return s;
}

std::string Dockerfile::dump() const {
  std::string s;
  for (const Instruction& in : instructions) s += "(" + in.dump() + ")\n";
  return s;
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  char hex[16];
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // A UTF-8 sequence: printable runes stay as they are, others become \u escapes.
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    uint32_t rune = len == 4 ? c & 0x07 : len == 3 ? c & 0x0f : c & 0x1f;
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) valid = false;
      rune = (rune << 6) | (cc & 0x3f);
    }
    if (valid && ((len == 2 && rune < 0x80) || (len == 3 && rune < 0x800) || (len == 4 && rune < 0x10000) ||
                  rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)))
      valid = false;
    if (!valid) {
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
      ++i;
      continue;
    }
    // Not printable for Go (categories C and Z but the ASCII space): the common ones.
    bool printable = !(rune < 0xa1 || rune == 0xad || (rune >= 0x2000 && rune <= 0x200f) ||
                       (rune >= 0x2028 && rune <= 0x202f) || (rune >= 0x205f && rune <= 0x206f) || rune == 0x3000 ||
                       (rune >= 0xe000 && rune <= 0xf8ff) || rune == 0xfeff || (rune >= 0xfff9 && rune <= 0xfffb) ||
                       rune == 0x1680);
    if (printable) {
      out.append(s.substr(i, len));
    } else {
      std::snprintf(hex, sizeof hex, rune > 0xffff ? "\\U%08x" : "\\u%04x", rune);
      out += hex;
    }
    i += len;
  }
  return out + "\"";
}

}  // namespace berth
