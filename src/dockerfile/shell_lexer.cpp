#include "dockerfile/shell_lexer.h"

#include <fnmatch.h>

#include "core/error.h"

namespace berth {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Letters as unicode.IsLetter would see most of them: ASCII ones, and any
// byte of a multi-byte UTF-8 sequence.
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80);
}
// POSIX special parameters ($@, $*, $#, $?, $-, $$, $!, $0): names of one character.
bool is_special_param(char c) {
  return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' || c == '0';
}

// The words of one expansion: unquoted text splits at whitespace, quoted or
// escaped text never does.
class Words {
 public:
  void add_char(char c) {
    if (is_space(c)) {
      if (in_word_ && !word_.empty()) {
        words_.push_back(word_);
        word_.clear();
        in_word_ = false;
      }
    } else {
      add_raw_char(c);
    }
  }
  void add_raw_char(char c) {
    word_ += c;
    in_word_ = true;
  }
  void add_string(const std::string& s) {
    for (char c : s) add_char(c);
  }
  void add_raw_string(const std::string& s) {
    word_ += s;
    in_word_ = true;
  }
  std::vector<std::string> take() {
    if (!word_.empty()) words_.push_back(word_);
    word_.clear();
    in_word_ = false;
    return std::move(words_);
  }

 private:
  std::string word_;
  std::vector<std::string> words_;
  bool in_word_ = false;
};

constexpr int kEnd = -1;

class WordProcessor {
 public:
  WordProcessor(const ShellLexer& lexer, const std::string& input, const EnvLookup& env)
      : lexer_(lexer), in_(input), env_(env), raw_escapes_(lexer.raw_escapes) {}

  // Processes up to `stop` (consumed) or the end; returns the word and its split.
  std::pair<std::string, std::vector<std::string>> until(int stop, bool raw_escapes) {
    bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    std::string result;
    Words words;
    while (peek() != kEnd) {
      int c = peek();
      if (stop != kEnd && c == stop) {
        next();
        raw_escapes_ = saved;
        return {result, words.take()};
      }
      if (c == '$') {
        std::string value = dollar();
        result += value;
        words.add_string(value);
      } else if (c == '\'' || c == '"') {
        std::string value = c == '\'' ? single_quoted() : double_quoted();
        result += value;
        words.add_raw_string(value);
      } else {
        char ch = static_cast<char>(next());
        if (ch == lexer_.escape) {
          if (raw_escapes_) {
            words.add_raw_char(ch);
            result += ch;
          }
          int escaped = next();
          if (escaped == kEnd) break;  // an escape at the very end is dropped
          ch = static_cast<char>(escaped);
          words.add_raw_char(ch);
        } else {
          words.add_char(ch);
        }
        result += ch;
      }
    }
    raw_escapes_ = saved;
    if (stop != kEnd)
      throw Error(std::string("unexpected end of statement while looking for matching ") + static_cast<char>(stop));
    return {result, words.take()};
  }

 private:
  int peek() const { return pos_ < in_.size() ? static_cast<unsigned char>(in_[pos_]) : kEnd; }
  int next() { return pos_ < in_.size() ? static_cast<unsigned char>(in_[pos_++]) : kEnd; }

  std::optional<std::string> lookup(const std::string& name) const { return env_ ? env_(name) : std::nullopt; }

  // Everything up to the next ' is literal; a ' cannot be escaped inside.
  std::string single_quoted() {
    std::string out;
    int c = next();
    if (lexer_.raw_quotes) out += static_cast<char>(c);
    for (;;) {
      c = next();
      if (c == kEnd) throw Error("unexpected end of statement while looking for matching single-quote");
      if (c == '\'') {
        if (lexer_.raw_quotes) out += '\'';
        return out;
      }
      out += static_cast<char>(c);
    }
  }

  // Literal but for $ expansions and the escape character, which escapes only
  // ", $ and itself (otherwise it stays, as sh's backslash does).
  std::string double_quoted() {
    std::string out;
    int c = next();
    if (lexer_.raw_quotes) out += static_cast<char>(c);
    for (;;) {
      c = peek();
      if (c == kEnd) throw Error("unexpected end of statement while looking for matching double-quote");
      if (c == '"') {
        next();
        if (lexer_.raw_quotes) out += '"';
        return out;
      }
      if (c == '$') {
        out += dollar();
        continue;
      }
      char ch = static_cast<char>(next());
      if (ch == lexer_.escape) {
        if (raw_escapes_) out += ch;
        int after = peek();
        if (after == kEnd) continue;  // an escape at the end of the word is dropped
        if (after == '"' || after == '$' || after == static_cast<unsigned char>(lexer_.escape))
          ch = static_cast<char>(next());
      }
      out += ch;
    }
  }

  std::string name() {
    std::string n;
    while (peek() != kEnd) {
      char c = static_cast<char>(peek());
      if (n.empty() && is_digit(c)) {  // $1, $23: positional parameters
        while (peek() != kEnd && is_digit(static_cast<char>(peek()))) n += static_cast<char>(next());
        return n;
      }
      if (n.empty() && is_special_param(c)) return std::string(1, static_cast<char>(next()));
      if (!is_name_char(c)) break;
      n += static_cast<char>(next());
    }
    return n;
  }

  std::string dollar() {
    next();  // $
    if (peek() != '{') {
      std::string n = name();
      if (n.empty()) return "$";
      std::optional<std::string> v = lookup(n);
      if (!v && lexer_.skip_unset_env) return "$" + n;
      return v.value_or("");
    }
    next();  // {
    int c = peek();
    if (c == kEnd) throw Error("syntax error: missing '}'");
    if (c == '{' || c == '}' || c == ':') throw Error("syntax error: bad substitution");
    if (lexer_.colon_forms_only && !is_name_char(static_cast<char>(c)) && !is_digit(static_cast<char>(c)))
      throw Error(docker_2010("missing ':' in substitution"));  // ${#X}, ${?}
    std::string n = name();
    int op = next();
    std::string ops(1, static_cast<char>(op));
    if (op == '}') {
      std::optional<std::string> v = lookup(n);
      if (!v && lexer_.skip_unset_env) return "${" + n + "}";
      return v.value_or("");
    }
    bool null_is_unset = false;
    if (lexer_.colon_forms_only && op != ':' && op != '?') throw Error(docker_2010("missing ':' in substitution"));
    if (op == ':') {
      null_is_unset = true;
      op = next();
      ops += static_cast<char>(op);
    }
    if (lexer_.colon_forms_only && op != '+' && op != '-' && op != '?')
      throw Error(docker_2010("unsupported modifier (" + std::string(1, static_cast<char>(op)) + ") in substitution"));
    if (op == '/' && !null_is_unset) return substitute(n);
    if (op != '+' && op != '-' && op != '?' && op != '#' && op != '%')
      throw Error("unsupported modifier (" + ops + ") in substitution");
    bool pattern = op == '#' || op == '%';
    if (null_is_unset && pattern) throw Error("unsupported modifier (" + ops + ") in substitution");
    std::string word = closing_word('}', pattern);
    std::optional<std::string> v = lookup(n);
    if (!v && lexer_.skip_unset_env) return "${" + n + ops + word + "}";
    bool empty = !v || (null_is_unset && v->empty());
    switch (op) {
      case '-':
        return empty ? word : *v;
      case '+':
        return empty ? "" : word;
      case '?':
        if (!v) throw Error(n + ": " + (word.empty() ? "is not allowed to be unset" : word));
        if (empty) throw Error(n + ": " + (word.empty() ? "is not allowed to be empty" : word));
        return *v;
      default: {  // # and ##: shortest and longest prefix; % and %%: suffix
        bool longest = !word.empty() && word[0] == op;
        if (longest) word.erase(0, 1);
        return op == '#' ? trim_prefix(v.value_or(""), word, longest) : trim_suffix(v.value_or(""), word, longest);
      }
    }
  }

  // Docker 20.10's message names the whole word.
  std::string docker_2010(const std::string& what) const { return "failed to process \"" + in_ + "\": " + what; }

  std::string closing_word(int stop, bool raw_escapes) {
    try {
      return until(stop, raw_escapes).first;
    } catch (const Error&) {
      if (peek() == kEnd) throw Error("syntax error: missing '}'");
      throw;
    }
  }

  // ${VAR/pattern/replacement} and ${VAR//pattern/replacement}.
  std::string substitute(const std::string& n) {
    bool all = peek() == '/';
    if (all) next();
    std::string pattern = closing_word('/', true);
    std::string replacement = closing_word('}', true);
    std::optional<std::string> v = lookup(n);
    if (!v && lexer_.skip_unset_env) return "${" + n + "/" + pattern + "/" + replacement + "}";
    std::string value = v.value_or(""), out;
    size_t i = 0;
    bool replaced = false;
    while (i <= value.size()) {
      size_t end = std::string::npos;  // the longest match starting at i
      if (!(replaced && !all))
        for (size_t j = value.size() + 1; j-- > i;)
          if (!pattern.empty() && fnmatch(pattern.c_str(), value.substr(i, j - i).c_str(), 0) == 0) {
            end = j;
            break;
          }
      if (end != std::string::npos && end > i) {
        out += replacement;
        i = end;
        replaced = true;
        continue;
      }
      if (i < value.size()) out += value[i];
      ++i;
    }
    return out;
  }

  static std::string trim_prefix(const std::string& value, const std::string& pattern, bool longest) {
    for (size_t k = 0; k <= value.size(); ++k) {
      size_t len = longest ? value.size() - k : k;
      if (fnmatch(pattern.c_str(), value.substr(0, len).c_str(), 0) == 0) return value.substr(len);
    }
    return value;
  }

  static std::string trim_suffix(const std::string& value, const std::string& pattern, bool longest) {
    for (size_t k = 0; k <= value.size(); ++k) {
      size_t start = longest ? k : value.size() - k;
      if (fnmatch(pattern.c_str(), value.substr(start).c_str(), 0) == 0) return value.substr(0, start);
    }
    return value;
  }

  const ShellLexer& lexer_;
  const std::string& in_;
  const EnvLookup& env_;
  size_t pos_ = 0;
  bool raw_escapes_;
};

}  // namespace

std::string ShellLexer::process_word(const std::string& input, const EnvLookup& env) const {
  WordProcessor p(*this, input, env);
  return p.until(kEnd, raw_escapes).first;
}

std::vector<std::string> ShellLexer::process_words(const std::string& input, const EnvLookup& env) const {
  WordProcessor p(*this, input, env);
  return p.until(kEnd, raw_escapes).second;
}

}  // namespace berth
