// The Dockerfile parser: text -> instructions, as BuildKit's parser does it
// (frontend/dockerfile/parser), so `berth build` reads every Dockerfile the
// way `docker build` does. Parser directives (# syntax, # escape, # check),
// line continuations (with comments and empty lines inside them), JSON versus
// shell forms, builder flags, heredocs (RUN/COPY/ADD <<EOF). Arguments are
// kept as written — quotes, escapes and $VARs are the builder's business (see
// shell_lexer.h). dump() prints BuildKit's Node.Dump() format, so the
// conformance corpus compares byte for byte.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace berth {

struct Heredoc {
  std::string name;         // the terminator word, quotes removed
  unsigned fd = 0;          // N in N<<EOF
  bool expand = true;       // false when any part of the word was quoted
  bool chomp = false;       // <<-EOF: the terminator may be indented with tabs
  std::string content;      // the lines up to the terminator, as written
};

struct Instruction {
  std::string keyword;            // lower case: "run", "copy", …
  std::string original;           // the logical line, continuations joined
  std::vector<std::string> flags;  // "--from=build", quotes removed
  std::vector<std::string> args;   // as the instruction's parser split them
  bool json_form = false;          // exec form: ["a", "b"]
  std::unique_ptr<Instruction> sub;  // ONBUILD's instruction
  std::vector<Heredoc> heredocs;
  int start_line = 0, end_line = 0;  // 1-based, heredoc bodies included

  std::string dump() const;  // BuildKit's Node.Dump() of this instruction
};

struct Dockerfile {
  char escape = '\\';
  std::string syntax;  // "# syntax=" directive, "" when none
  std::vector<Instruction> instructions;
  std::vector<std::string> warnings;

  std::string dump() const;  // one "(…)\n" line per instruction
};

// A Dockerfile that cannot be parsed: the message, and the lines it is about.
class DockerfileError : public Error {
 public:
  DockerfileError(const std::string& message, int line) : Error(message), line(line) {}
  int line;  // 1-based; 0 when the error is about the whole file
};

Dockerfile parse_dockerfile(std::string_view text);

// Go's strconv.Quote, which Dump() uses: "\"a\\tb\"" for a<TAB>b.
std::string go_quote(std::string_view s);

// Pieces of the parser that BuildKit's own tests check one by one.
namespace dockerfile_detail {
std::vector<std::string> parse_words(std::string_view rest, char escape);
// A JSON array of strings; nullopt when `rest` is no JSON array at all.
// Throws DockerfileError when it is one but holds something else than strings.
std::optional<std::vector<std::string>> parse_json_array(std::string_view rest);
// One heredoc word ("<<EOF", "<<-'EOF'", "3<<EOF"); nullopt when it is none.
std::optional<Heredoc> parse_heredoc(const std::string& word);
std::vector<Heredoc> heredocs_from_line(const std::string& line);
}  // namespace dockerfile_detail

}  // namespace berth
