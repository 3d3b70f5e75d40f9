// Dockerfile variable expansion and word splitting, as BuildKit's shell
// lexer does it (frontend/dockerfile/shell): quote removal, the escape
// character, $VAR and ${VAR}, ${VAR:-word} ${VAR-word} ${VAR:+word}
// ${VAR+word} ${VAR:?msg} ${VAR?msg}, ${VAR#pat} ${VAR##pat} ${VAR%pat}
// ${VAR%%pat} and ${VAR/pat/repl} ${VAR//pat/repl}. Not a shell: no command
// substitution, no arithmetic. Checked against BuildKit's envVarTest and
// wordsTest vectors (tests/conformance/buildkit-dockerfile-shell-lex).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace berth {

// A variable's value, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct ShellLexer {
  char escape = '\\';
  bool raw_quotes = false;      // keep quote characters in the result
  bool raw_escapes = false;     // keep escape characters in the result
  bool skip_unset_env = false;  // leave $UNSET as written instead of ""
  // Docker 20.10's builders: only ${X}, ${X:-w}, ${X:+w}, ${X:?w}, ${X?w}; the
  // forms later BuildKit added (${X-w}, ${X#p}, ${X%p}, ${X/a/b}, ${#X}, …) are
  // refused with their message: failed to process "WORD": missing ':' in substitution.
  bool colon_forms_only = false;

  // One word: quotes removed, variables expanded, no splitting ("a b" stays one).
  // Throws Error for unterminated quotes and bad substitutions.
  std::string process_word(const std::string& input, const EnvLookup& env) const;
  // Words split at unquoted whitespace, also inside unquoted expansions.
  std::vector<std::string> process_words(const std::string& input, const EnvLookup& env) const;
};

}  // namespace berth
