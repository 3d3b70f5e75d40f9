#include "dockerfile/dockerfile_parser.h"

#include <algorithm>
#include <optional>
#include <regex>

#include "core/ascii_space.h"
#include "core/image_config.h"
#include "core/number.h"
#include "dockerfile/shell_lexer.h"

namespace berth {
namespace {

using dockerfile_detail::heredocs_from_line;
using dockerfile_detail::parse_json_array;
using dockerfile_detail::parse_words;

// Space is Go's unicode.IsSpace for the bytes a Dockerfile holds (ASCII, plus
// U+0085 and U+00A0 are not worth a decoder here: BuildKit's byte loops skip
// them too): core/ascii_space.h. BuildKit's reWhitespace, [\t\v\f\r ]+ (no \n: lines have none by now).
bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

std::string trim_left(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_ascii_space(s[i])) ++i;
  return std::string(s.substr(i));
}

std::string trim_newline(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

// Splits on runs of [\t\v\f\r ] (Go's regexp Split, n = -1, or at most 2 parts).
std::vector<std::string> split_whitespace(const std::string& s, size_t max_parts = 0) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size();) {
    if (!is_separator(s[i]) || (max_parts && out.size() + 1 == max_parts)) {
      ++i;
      continue;
    }
    out.push_back(s.substr(start, i - start));
    while (i < s.size() && is_separator(s[i])) ++i;
    start = i;
  }
  out.push_back(s.substr(start));
  return out;
}

bool is_comment(std::string_view line) {
  std::string t = trim_left(trim_newline(line));
  return !t.empty() && t[0] == '#';
}

// Directives (# syntax=…, # escape=…, # check=…): only at the very top.
class Directives {
 public:
  char escape = '\\';
  std::string syntax;

  void see(const std::string& line) {
    if (done_) return;
    static const std::regex kDirective(R"(^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$)");
    std::smatch m;
    if (!std::regex_match(line, m, kDirective)) {
      done_ = true;
      return;
    }
    std::string key = m[1];
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    if (key != "syntax" && key != "escape" && key != "check") {
      done_ = true;
      return;
    }
    if (std::find(seen_.begin(), seen_.end(), key) != seen_.end())
      throw DockerfileError("only one " + key + " parser directive can be used", 0);
    seen_.push_back(key);
    std::string value = m[2];
    if (key == "escape") {
      if (value != "\\" && value != "`") throw DockerfileError("invalid escape token '" + value + "' does not match ` or \\", 0);
      escape = value[0];
    } else if (key == "syntax") {
      syntax = value;
    }
  }

  // A line ending in the escape character (and blanks) continues on the next;
  // the escape is removed. A doubled escape does not continue.
  bool continues(std::string* line) const {
    size_t end = line->size();
    while (end > 0 && ((*line)[end - 1] == ' ' || (*line)[end - 1] == '\t')) --end;
    if (end == 0 || (*line)[end - 1] != escape) return false;
    if (end >= 2 && (*line)[end - 2] == escape) return false;
    line->resize(end - 1);
    return true;
  }

 private:
  bool done_ = false;
  std::vector<std::string> seen_;
};

// Leading --flags of an instruction; returns the rest of the line. Quotes and
// escapes are removed here, unlike parse_words (which keeps them for the shell
// lexer): the two loops look alike but follow BuildKit's two different rules.
std::string extract_flags(const std::string& line, char escape, std::vector<std::string>* flags) {
  enum { kSpaces, kWord, kQuote } phase = kSpaces;
  std::string word;
  char quote = 0, ch = 0;
  bool blank_ok = false;
  for (size_t pos = 0; pos <= line.size(); ++pos) {
    if (pos != line.size()) ch = line[pos];
    if (phase == kSpaces) {
      if (pos == line.size()) break;
      if (is_ascii_space(ch)) continue;
      if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') return line.substr(pos);
      phase = kWord;
    }
    if (pos == line.size()) {
      if (word != "--" && (blank_ok || !word.empty())) flags->push_back(word);
      break;
    }
    if (phase == kWord) {
      if (is_ascii_space(ch)) {
        phase = kSpaces;
        if (word == "--") return line.substr(pos);
        if (blank_ok || !word.empty()) flags->push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = kQuote;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == line.size()) continue;
        ch = line[++pos];
      }
      word += ch;
      continue;
    }
    if (ch == quote) {  // kQuote
      phase = kWord;
      continue;
    }
    if (ch == escape) {
      if (pos + 1 == line.size()) {
        phase = kWord;
        continue;
      }
      ch = line[++pos];
    }
    word += ch;
  }
  return "";
}

// ENV and LABEL: "KEY value" (old form) or KEY=value pairs.
void parse_name_value(const std::string& rest, char escape, const std::string& keyword, Instruction* in) {
  std::vector<std::string> words = parse_words(rest, escape);
  if (words.empty()) return;
  std::string upper = keyword;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (words[0].find('=') == std::string::npos) {
    std::vector<std::string> parts = split_whitespace(rest, 2);
    if (parts.size() < 2) throw DockerfileError(upper + " must have two arguments", 0);
    in->args = {parts[0], parts[1], ""};
    return;
  }
  for (const std::string& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos)
      throw DockerfileError("Syntax error - can't find = in " + go_quote(w) + ". Must be of the form: name=value", 0);
    in->args.insert(in->args.end(), {w.substr(0, eq), w.substr(eq + 1), "="});
  }
}

// RUN, CMD, ENTRYPOINT, SHELL: a JSON array, else the whole rest as one argument.
void parse_maybe_json(const std::string& rest, Instruction* in) {
  if (rest.empty()) return;
  if (std::optional<std::vector<std::string>> a = parse_json_array(rest)) {
    in->args = *a;
    in->json_form = true;
    return;
  }
  in->args = {rest};
}

Instruction instruction_from_line(const std::string& line, char escape) {
  Instruction in;
  in.original = line;
  std::vector<std::string> cmdline = split_whitespace(trim_ascii_space(line), 2);
  std::string rest;
  if (cmdline.size() == 2) rest = trim_ascii_space(extract_flags(cmdline[1], escape, &in.flags));
  in.keyword = cmdline[0];
  std::transform(in.keyword.begin(), in.keyword.end(), in.keyword.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string& k = in.keyword;
  if (k == "from" || k == "expose") {
    if (!rest.empty()) in.args = split_whitespace(rest);
  } else if (k == "add" || k == "copy" || k == "volume") {
    if (std::optional<std::vector<std::string>> a = parse_json_array(rest)) {
      in.args = *a;
      in.json_form = true;
    } else if (!rest.empty()) {
      in.args = split_whitespace(rest);
    }
  } else if (k == "run" || k == "cmd" || k == "entrypoint" || k == "shell") {
    parse_maybe_json(rest, &in);
  } else if (k == "env" || k == "label") {
    parse_name_value(rest, escape, k, &in);
  } else if (k == "arg") {
    in.args = parse_words(rest, escape);
  } else if (k == "healthcheck") {
    size_t sep = 0;
    while (sep < rest.size() && !is_ascii_space(rest[sep])) ++sep;
    size_t next = sep;
    while (next < rest.size() && is_ascii_space(rest[next])) ++next;
    if (sep > 0) {
      Instruction cmd;
      parse_maybe_json(rest.substr(next), &cmd);
      in.args = {rest.substr(0, sep)};
      in.args.insert(in.args.end(), cmd.args.begin(), cmd.args.end());
      in.json_form = cmd.json_form;
    }
  } else if (k == "maintainer" || k == "stopsignal" || k == "user" || k == "workdir") {
    if (!rest.empty()) in.args = {rest};
  } else if (k == "onbuild") {
    if (!rest.empty()) in.sub = std::make_unique<Instruction>(instruction_from_line(rest, escape));
  } else {
    in.args = {""};  // unknown instructions are not the parser's business: one empty argument
  }
  return in;
}

bool can_contain_heredoc(const Instruction& in) {
  const Instruction& target = in.keyword == "onbuild" && in.sub ? *in.sub : in;
  return (target.keyword == "run" || target.keyword == "copy" || target.keyword == "add") && !target.json_form;
}

// The input, cut after each '\n' (the last line may have none).
std::vector<std::string_view> physical_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    size_t len = nl == std::string_view::npos ? text.size() : nl + 1;
    if (trim_newline(text.substr(0, len)).size() > 65535)
      throw DockerfileError("dockerfile line greater than max allowed size of 65535", static_cast<int>(lines.size() + 1));
    lines.push_back(text.substr(0, len));
    text.remove_prefix(len);
  }
  return lines;
}

}  // namespace

namespace dockerfile_detail {

std::vector<std::string> parse_words(std::string_view rest, char escape) {
  enum { kSpaces, kWord, kQuote } phase = kSpaces;
  std::vector<std::string> words;
  std::string word;
  char quote = 0, ch = 0;
  bool blank_ok = false;
  for (size_t pos = 0; pos <= rest.size(); ++pos) {
    if (pos != rest.size()) ch = rest[pos];
    if (phase == kSpaces) {
      if (pos == rest.size()) break;
      if (is_ascii_space(ch)) continue;
      phase = kWord;
    }
    if (pos == rest.size()) {
      if (blank_ok || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == kWord) {
      if (is_ascii_space(ch)) {
        phase = kSpaces;
        if (blank_ok || !word.empty()) words.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = kQuote;
      }
      if (ch == escape) {
        if (pos + 1 == rest.size()) continue;  // an escape at the end is dropped
        word += ch;  // kept with what it escapes: the shell lexer removes it later
        ch = rest[++pos];
      }
      word += ch;
      continue;
    }
    if (ch == quote) phase = kWord;  // kQuote
    if (ch == escape && quote != '\'') {  // nothing escapes inside '…'
      if (pos + 1 == rest.size()) {
        phase = kWord;
        continue;
      }
      word += ch;
      ch = rest[++pos];
    }
    word += ch;
  }
  return words;
}

std::optional<std::vector<std::string>> parse_json_array(std::string_view rest) {
  std::string s = trim_left(rest);
  if (s.empty() || s[0] != '[') return std::nullopt;
  Json doc = Json::parse(s, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const Json& e : doc) {
    if (!e.is_string()) throw DockerfileError("when using JSON array syntax, arrays must be comprised of strings only", 0);
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::optional<Heredoc> parse_heredoc(const std::string& word) {
  static const std::regex kHeredoc(R"(^(\d*)<<(-?)([^<]*)$)");
  std::smatch m;
  if (!std::regex_match(word, m, kHeredoc)) return std::nullopt;
  std::string rest = m[3];
  if (rest.empty()) return std::nullopt;
  ShellLexer lexer;
  lexer.skip_unset_env = true;
  std::vector<std::string> words = lexer.process_words(rest, nullptr);
  if (words.size() != 1) return std::nullopt;
  lexer.raw_quotes = true;
  std::vector<std::string> raw = lexer.process_words(rest, nullptr);
  if (raw.size() != 1) throw DockerfileError("internal lexing of heredoc produced inconsistent results: " + rest, 0);
  auto quotes = [](const std::string& w) { return std::count(w.begin(), w.end(), '\'') + std::count(w.begin(), w.end(), '"'); };
  Heredoc h;
  h.name = words[0];
  h.expand = quotes(words[0]) == quotes(raw[0]);  // a quoted word: content taken literally
  h.chomp = m[2] == "-";
  if (m[1].length()) {
    std::optional<uint64_t> fd = try_parse_uint(m[1].str());
    if (!fd || *fd > 0xffffffffu) throw DockerfileError("invalid heredoc file descriptor: " + m[1].str(), 0);
    h.fd = static_cast<unsigned>(*fd);
  }
  return h;
}

std::vector<Heredoc> heredocs_from_line(const std::string& line) {
  ShellLexer lexer;
  lexer.raw_quotes = true;
  lexer.raw_escapes = true;
  lexer.skip_unset_env = true;  // "<<$EOF" names a heredoc "$EOF"
  std::vector<std::string> words;
  try {
    words = lexer.process_words(line, nullptr);
  } catch (const Error&) {
    return {};
  }
  std::vector<Heredoc> docs;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string word = words[i];
    if (word == "<<" && i + 1 < words.size()) word += " " + words[++i];  // "<< EOF"
    if (std::optional<Heredoc> h = parse_heredoc(word)) docs.push_back(*h);
  }
  return docs;
}

}  // namespace dockerfile_detail

Dockerfile parse_dockerfile(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
  std::vector<std::string_view> lines = physical_lines(text);
  Directives directives;
  Dockerfile out;
  size_t i = 0;  // next physical line; line numbers are i + 1
  auto fail_at = [](const DockerfileError& e, int line) {
    return DockerfileError(e.what(), e.line ? e.line : line);
  };
  while (i < lines.size()) {
    std::string first = trim_left(trim_newline(lines[i]));
    try {
      directives.see(first);
    } catch (const DockerfileError& e) {
      throw fail_at(e, static_cast<int>(i + 1));
    }
    if (is_comment(first)) first.clear();
    int start = static_cast<int>(++i);
    std::string line = first;
    bool continued = directives.continues(&line);
    if (!continued && line.empty()) continue;
    std::string logical = line;
    bool empty_continuation = false;
    while (continued && i < lines.size()) {
      std::string next = trim_newline(lines[i]);
      directives.see(next);
      ++i;
      if (is_comment(next)) continue;  // a comment inside a continuation is dropped
      if (trim_left(next).empty()) {
        empty_continuation = true;
        continue;
      }
      continued = directives.continues(&next);
      logical += next;
    }
    if (empty_continuation) out.warnings.push_back("Empty continuation line found in: " + logical);
    Instruction in;
    try {
      in = instruction_from_line(logical, directives.escape);
    } catch (const DockerfileError& e) {
      throw fail_at(e, start);
    }
    if (can_contain_heredoc(in) && logical.find("<<") != std::string::npos) {
      for (Heredoc h : heredocs_from_line(logical)) {
        bool terminated = false;
        while (i < lines.size()) {
          std::string_view raw = lines[i++];
          std::string candidate = trim_newline(raw);
          if (h.chomp) candidate.erase(0, candidate.find_first_not_of('\t') == std::string::npos ? candidate.size() : candidate.find_first_not_of('\t'));
          if (candidate == h.name) {
            terminated = true;
            break;
          }
          h.content += raw;
        }
        if (!terminated) throw DockerfileError("unterminated heredoc", start);
        in.heredocs.push_back(std::move(h));
      }
    }
    in.start_line = start;
    in.end_line = static_cast<int>(i);
    out.instructions.push_back(std::move(in));
  }
  if (out.instructions.empty()) throw DockerfileError("file with no instructions", 0);
  out.escape = directives.escape;
  out.syntax = directives.syntax;
  return out;
}

}  // namespace berth
